/**
 * Roles as commands show them to people: the table of `list` and `info`, and the account column that table and
 * the role picker share.
 *
 * @module
 */

import type { ConsoleMeRole } from "../consoleme/types.ts";
import { renderTable } from "../platform/table.ts";
import type { RoleUse } from "../usage/used_roles.ts";

/** The account column: the name, or the ID when ConsoleMe does not know the account (`Unknown` or empty). */
export function accountLabel(role: ConsoleMeRole): string {
  return role.accountName && role.accountName !== "Unknown" ? role.accountName : role.accountId;
}

/**
 * Renders roles as a table: ACCOUNT NAME, ROLE NAME, ROLE ARN (APP, APP OWNER when extended; PROFILES with
 * `profiles`; LAST USED (UTC) and USES with `uses`).
 */
export function roleTable(
  roles: readonly ConsoleMeRole[],
  extended: boolean,
  profiles?: ReadonlyMap<string, readonly string[]>,
  uses?: ReadonlyMap<string, RoleUse>,
): string {
  const headers = ["ACCOUNT NAME", "ROLE NAME", "ROLE ARN", ...(extended ? ["APP", "APP OWNER"] : [])];
  if (profiles) headers.push("PROFILES");
  if (uses) headers.push("LAST USED (UTC)", "USES");
  const rows = roles.map((role) => {
    const row = [accountLabel(role), role.roleName, role.arn];
    if (extended) {
      row.push(role.apps.map((app) => app.name).filter(Boolean).join(", "));
      row.push([...new Set(role.apps.map((app) => app.owner).filter(Boolean))].join(", "));
    }
    if (profiles) row.push((profiles.get(role.arn) ?? []).join(", "));
    const use = uses?.get(role.arn);
    if (use) row.push(use.last.toISOString().slice(0, 16).replace("T", " "), String(use.count));
    return row;
  });
  return renderTable(headers, rows);
}
