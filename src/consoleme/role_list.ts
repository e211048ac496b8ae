/**
 * ConsoleMe's role lists (`get_roles` v1 and v2), validated and turned into weep's roles in one pass over
 * the parsed JSON, copying nothing weep does not keep: a list may hold 100,000 roles. A value that does not
 * fit is reported by its path (`data.roles.3.arn`), as the first one in the list's order.
 *
 * @module
 */

import { roleNameOf } from "../aws/arn.ts";
import type { ConsoleMeRole, RoleApp, RoleListOptions } from "./types.ts";

/** Where a list is not what weep understands: the path to the value (`data.roles.3.arn`), and what is wrong. */
export interface ListProblem {
  where: string;
  message: string;
}

/** A value that does not fit, at `where` (relative to what was being read); see {@linkcode listProblem}. */
export class Misfit extends Error {
  /** The path to the value. */
  readonly where: string;

  /** Says that the value at `where` is not what weep understands. */
  constructor(where: string, message: string) {
    super(message);
    this.where = where;
  }
}

/** The problem `error` reports when it is a {@linkcode Misfit}; any other error is thrown on. */
export function listProblem(error: unknown): ListProblem {
  if (error instanceof Misfit) return { where: error.where, message: error.message };
  throw error;
}

/** `where` joined with the parts under it: `data.roles` and `3`, `arn` → `data.roles.3.arn`. */
export function valuePath(...parts: (string | number)[]): string {
  return parts.filter((part) => part !== "").join(".");
}

type Json = Record<string, unknown>;

function object(value: unknown, where: string): Json {
  if (typeof value === "object" && value !== null) return value as Json;
  throw new Misfit(where, `Invalid type: Expected Object but received ${shown(value)}`);
}

function array(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new Misfit(where, `Invalid type: Expected Array but received ${shown(value)}`);
}

function text(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  throw new Misfit(where, `Invalid type: Expected string but received ${shown(value)}`);
}

/** A string, or `""` for `null` and a missing value (ConsoleMe leaves unknown fields null). */
function optionalText(value: unknown, where: string): string {
  return value === null || value === undefined ? "" : text(value, where);
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "Array";
  if (typeof value === "object") return "Object";
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** The roles of a `GET /api/v2/get_roles` answer (`{"data": {"roles": [...]}}`), or where it does not fit. */
export function parseRolesV2(json: unknown, options: RoleListOptions = {}): ConsoleMeRole[] | ListProblem {
  const read = roleReader(options);
  try {
    return each(rolesArray(json), "data.roles", read);
  } catch (error) {
    return listProblem(error);
  }
}

/** The `data.roles` array of a `get_roles` v2 answer; throws a {@linkcode Misfit} when there is none. */
export function rolesArray(json: unknown): unknown[] {
  return array(object(object(json, "").data, "data").roles, "data.roles");
}

/**
 * Reads one role of the v2 list at a time as weep keeps it; throws a {@linkcode Misfit} (its path under the
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

/**
 * `read` applied to each item of `list`, found at `where`. A misfit in an item is reported at its path: paths
 * are made only for a misfit, never for the items that fit.
 */
function each<T>(list: readonly unknown[], where: string, read: (item: unknown) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      out.push(read(list[i]));
    } catch (error) {
      if (!(error instanceof Misfit)) throw error;
      throw new Misfit(valuePath(where, i, error.where), error.message);
    }
  }
  return out;
}

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
export function parseRolesV1(json: unknown): string[] | ListProblem {
  try {
    return each(array(json, ""), "", (item) => text(item, ""));
  } catch (error) {
    return listProblem(error);
  }
}
