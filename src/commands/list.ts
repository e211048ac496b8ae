/**
 * `weep list [SEARCH]`: the roles you may use, from ConsoleMe. An aligned table for people, `--json` for
 * programs, `-s` for one ARN per line; `--account` and a search string narrow the list.
 *
 * @module
 */

import { type Command, Option } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app.ts";
import { connectConsoleMe } from "../auth/connect.ts";
import type { ConsoleMeRole } from "../consoleme/types.ts";
import { renderTable } from "../platform/table.ts";
import { readAwsFile } from "../aws/edit_file.ts";
import { roleProfiles } from "../aws/role_profiles.ts";

/** How `list` prints. */
export type ListFormat = "table" | "json" | "arns";

/** The typed input of `list`. */
export interface ListInput {
  /** Keep roles of this account (ID, or name case-insensitively). */
  account?: string | undefined;
  /** Keep roles whose ARN, account name or ID, or role name contains this (case-insensitive). */
  search?: string | undefined;
  /** `-i`: keep only ARNs that end in `InstanceProfile`. */
  instance?: boolean | undefined;
  /** `-p`: keep only roles with a profile, and show the profiles' names (role ARN → names). */
  profiles?: ReadonlyMap<string, readonly string[]> | undefined;
  /** Add the app name and owner columns. */
  extended: boolean;
  format: ListFormat;
}

/** What `list` prints: `stdout` is the listing; `note` (for stderr) says why it is empty. */
export interface ListResult {
  stdout: string;
  note?: string;
}

/** The account column: the name, or the ID when ConsoleMe does not know the account (`Unknown` or empty). */
export function accountLabel(role: ConsoleMeRole): string {
  return role.accountName && role.accountName !== "Unknown" ? role.accountName : role.accountId;
}

/** The roles that pass the `--account`, `--instance` and `--profiles` filters and the search string, in order. */
export function filterRoles(
  roles: readonly ConsoleMeRole[],
  input: Pick<ListInput, "account" | "search" | "instance" | "profiles">,
): ConsoleMeRole[] {
  const account = input.account?.trim();
  const search = input.search?.trim().toLowerCase();
  return roles.filter((role) => {
    if (input.instance && !role.arn.endsWith("InstanceProfile")) return false;
    if (input.profiles && !input.profiles.has(role.arn)) return false;
    if (account && role.accountId !== account && role.accountName.toLowerCase() !== account.toLowerCase()) {
      return false;
    }
    if (!search) return true;
    return [role.arn, role.accountName, role.accountId, role.roleName].some((field) =>
      field.toLowerCase().includes(search)
    );
  });
}

/** A role as `list --json` prints it. */
export interface RoleJson {
  arn: string;
  account_id: string;
  account_name: string;
  role_name: string;
  apps: { name: string; owner: string; owner_url: string; app_url: string }[];
  /** With `--profiles`: the names of the profiles that use the role. */
  profiles?: string[];
}

/** The `--json` form of a role (ConsoleMe's field names; `apps` is a flat list). */
export function roleJson(role: ConsoleMeRole, profiles?: readonly string[]): RoleJson {
  const json: RoleJson = {
    arn: role.arn,
    account_id: role.accountId,
    account_name: role.accountName,
    role_name: role.roleName,
    apps: role.apps.map((app) => ({
      name: app.name,
      owner: app.owner,
      owner_url: app.ownerUrl,
      app_url: app.appUrl,
    })),
  };
  if (profiles) json.profiles = [...profiles];
  return json;
}

/**
 * Renders roles as a table: ACCOUNT NAME, ROLE NAME, ROLE ARN (APP, APP OWNER when extended; PROFILES with
 * `profiles`).
 */
export function roleTable(
  roles: readonly ConsoleMeRole[],
  extended: boolean,
  profiles?: ReadonlyMap<string, readonly string[]>,
): string {
  const headers = ["ACCOUNT NAME", "ROLE NAME", "ROLE ARN", ...(extended ? ["APP", "APP OWNER"] : [])];
  if (profiles) headers.push("PROFILES");
  const rows = roles.map((role) => {
    const row = [accountLabel(role), role.roleName, role.arn];
    if (extended) {
      row.push(role.apps.map((app) => app.name).filter(Boolean).join(", "));
      row.push([...new Set(role.apps.map((app) => app.owner).filter(Boolean))].join(", "));
    }
    if (profiles) row.push((profiles.get(role.arn) ?? []).join(", "));
    return row;
  });
  return renderTable(headers, rows);
}

/** Filters and formats the roles ConsoleMe returned. Pure. */
export function formatList(roles: readonly ConsoleMeRole[], input: ListInput): ListResult {
  const kept = filterRoles(roles, input);
  const { profiles } = input;
  if (input.format === "json") {
    const json = kept.map((role) => roleJson(role, profiles ? profiles.get(role.arn) ?? [] : undefined));
    return { stdout: JSON.stringify(json, null, 2) + "\n" };
  }
  if (kept.length === 0) {
    const filtered = input.account || input.search || input.instance || input.profiles;
    const what = [
      input.instance ? " ending in InstanceProfile" : "",
      input.profiles ? " with a profile in the AWS config" : "",
      input.search ? ` matches "${input.search}"` : "",
      input.account ? ` in account "${input.account}"` : "",
    ].join("");
    return {
      stdout: "",
      note: filtered
        ? `No role${what}; run weep list without filters to see all ${roles.length} roles`
        : "ConsoleMe lists no roles for you",
    };
  }
  if (input.format === "arns") return { stdout: kept.map((role) => role.arn + "\n").join("") };
  return { stdout: roleTable(kept, input.extended, profiles) };
}

/** Registers `weep list`. */
export function registerList(program: Command, app: App): void {
  program
    .command("list")
    .description("list the roles you may use")
    .argument("[search]", "show only roles whose ARN, account name or ID, or role name contains this")
    .option("-a, --account <account>", "show only roles of this account (ID or name)")
    .option("-e, --extended", "add the app name and app owner columns")
    .addOption(new Option("--extended-info", "same as --extended").hideHelp())
    .option("-s, --short-info", "print only role ARNs, one per line")
    .option("--json", "print a JSON array of roles")
    .option("-i, --instance", "show only roles whose ARN ends in InstanceProfile")
    .option("-p, --profiles", "show only roles with a profile in the AWS config, and the profiles' names")
    .option("--all", "accepted for compatibility; has no effect (every role is always listed)")
    .addHelpText(
      "after",
      "\nExamples:\n  weep list\n  weep list prod --extended\n  weep list --account 123456789012 --json\n" +
        "  weep list -s admin | head -n 1\n  weep list --profiles",
    )
    .action(async (search, options, command) => {
      const globals = globalsOf(command);
      const { config } = await app.loadConfig(globals);
      const client = await connectConsoleMe(app, config, "list");
      const format: ListFormat = options.json ? "json" : options.shortInfo ? "arns" : "table";
      const profiles = options.profiles
        ? roleProfiles(await readAwsFile(app.paths.configFile), config["aws-profiles"], Deno.build.os)
        : undefined;
      const result = formatList(await client.getRoles(), {
        account: options.account,
        search,
        instance: options.instance,
        profiles,
        extended: Boolean(options.extended || options.extendedInfo),
        format,
      });
      if (result.note) app.output.info(result.note);
      app.output.stdout(result.stdout);
    });
}
