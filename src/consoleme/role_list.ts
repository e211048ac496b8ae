/**
 * ConsoleMe's role lists (`get_roles` v1 and v2), validated and turned into weep's roles in one pass over
 * the parsed JSON, copying nothing weep does not keep: a list may hold 100,000 roles. A value that does not
 * fit is reported by its path (`data.roles.3.arn`), as the first one in the list's order.
 *
 * @module
 */

import { roleNameOf } from "../aws/arn.ts";
import { type AnswerProblem, array, checked, each, object, optionalText, text } from "./answer_check.ts";
import type { ConsoleMeRole, RoleApp, RoleListOptions } from "./types.ts";

/** The roles of a `GET /api/v2/get_roles` answer (`{"data": {"roles": [...]}}`), or where it does not fit. */
export function parseRolesV2(json: unknown, options: RoleListOptions = {}): ConsoleMeRole[] | AnswerProblem {
  const read = roleReader(options);
  return checked(json, (json) => each(rolesArray(json), "data.roles", read));
}

/** The `data.roles` array of a `get_roles` v2 answer; throws a `Misfit` when there is none. */
export function rolesArray(json: unknown): unknown[] {
  return array(object(object(json, "").data, "data").roles, "data.roles");
}

/**
 * Reads one role of the v2 list at a time as weep keeps it; throws a `Misfit` (its path under the
 * role). The roles of one list share their account IDs and names: a list repeats them for every role.
 */
export function roleReader(options: RoleListOptions): (item: unknown) => ConsoleMeRole {
  const shared = new Map<string, string>();
  const share = (text: string) => {
    const known = shared.get(text);
    if (known !== undefined) return known;
    shared.set(text, text);
    return text;
  };
  const apps = options.apps ?? true;
  return (item) => {
    const role = object(item, "");
    const arn = text(role.arn, "arn");
    return {
      arn,
      accountId: share(optionalText(role.account_id, "account_id")),
      accountName: share(optionalText(role.account_friendly_name, "account_friendly_name")),
      roleName: optionalText(role.role_name, "role_name") || roleNameOf(arn),
      apps: apps ? appsOf(role.apps) : NO_APPS,
    };
  };
}

const NO_APPS: readonly RoleApp[] = Object.freeze([]);

function appsOf(value: unknown): readonly RoleApp[] {
  if (value === null || value === undefined) return NO_APPS;
  const details = object(value, "apps").app_details;
  if (details === null || details === undefined) return NO_APPS;
  return each(array(details, "apps.app_details"), "apps.app_details", (item) => {
    const app = object(item, "");
    return {
      name: optionalText(app.name, "name"),
      owner: optionalText(app.owner, "owner"),
      ownerUrl: optionalText(app.owner_url, "owner_url"),
      appUrl: optionalText(app.app_url, "app_url"),
    };
  });
}

/** The ARNs of a `GET /api/v1/get_roles` answer (a JSON array of strings), or where it does not fit. */
export function parseRolesV1(json: unknown): string[] | AnswerProblem {
  return checked(json, (json) => each(array(json, ""), "", (item) => text(item, "")));
}
