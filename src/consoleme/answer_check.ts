/**
 * Checking ConsoleMe's JSON answers by hand, without a validation library: the few shapes weep reads need a few
 * lines each, and a large role list is checked in one pass that copies nothing. A value that does not fit is
 * reported by its path (`data.roles.3.arn`) and by what it is, never by its text: an answer may hold a secret.
 * Also the small answers: a resource URL and search results.
 *
 * @module
 */

import type { TypeaheadResult } from "./types.ts";

/** Where an answer is not what weep understands: the path to the value (`Credentials.SessionToken`), and what. */
export interface AnswerProblem {
  where: string;
  message: string;
}

/** A value that does not fit, at `where` (relative to what was being read); see {@linkcode answerProblem}. */
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
export function answerProblem(error: unknown): AnswerProblem {
  if (error instanceof Misfit) return { where: error.where, message: error.message };
  throw error;
}

/** `where` joined with the parts under it: `data.roles` and `3`, `arn` → `data.roles.3.arn`. */
export function valuePath(...parts: (string | number)[]): string {
  return parts.filter((part) => part !== "").join(".");
}

/** What a value is, for a message (never the value itself: it may be a secret). */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * How deep an answer may nest arrays and objects. ConsoleMe's answers nest five deep; parsing a hostile answer
 * nested millions deep would take gigabytes (about 70 bytes a level), so anything deeper than this is refused.
 */
export const MAX_NESTING = 64;

/** The problem of an answer nested deeper than {@linkcode MAX_NESTING}. */
export const TOO_DEEP: AnswerProblem = {
  where: "",
  message: `Expected at most ${MAX_NESTING} levels of arrays and objects, got more`,
};

/** Whether JSON `text` nests arrays and objects deeper than {@linkcode MAX_NESTING} (strings are skipped). */
export function nestedTooDeep(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: to its closing quote, past escaped characters.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A JSON object's fields. */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` as an object; throws a {@linkcode Misfit} at `where` otherwise. */
export function object(value: unknown, where: string): JsonObject {
  if (isObject(value)) return value;
  throw new Misfit(where, `Expected an object, got ${kindOf(value)}`);
}

/** `value` as an array; throws a {@linkcode Misfit} at `where` otherwise. */
export function array(value: unknown, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new Misfit(where, `Expected an array, got ${kindOf(value)}`);
}

/** `value` as a string; throws a {@linkcode Misfit} at `where` otherwise. */
export function text(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  throw new Misfit(where, `Expected a string, got ${kindOf(value)}`);
}

/** A string, or `""` for `null` and a missing value (ConsoleMe leaves unknown fields null). */
export function optionalText(value: unknown, where: string): string {
  return value === null || value === undefined ? "" : text(value, where);
}

/**
 * `read` applied to each item of `list`, found at `where`. A misfit in an item is reported at its path: paths
 * are made only for a misfit, never for the items that fit.
 */
export function each<T>(list: readonly unknown[], where: string, read: (item: unknown) => T): T[] {
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

/** `check(json)`, or where `json` does not fit. */
export function checked<T>(json: unknown, check: (json: unknown) => T): T | AnswerProblem {
  try {
    return check(json);
  } catch (error) {
    return answerProblem(error);
  }
}

/** The URL of a `GET /api/v2/get_resource_url` answer (`{"data": {"url": "…"}}`). */
export function resourceUrlOf(json: unknown): string {
  return text(object(object(json, "").data, "data").url, "data.url");
}

/** The hits of a `GET /api/v1/policies/typeahead` answer (`[{"title": "…", "account_id": "…"}]`). */
export function typeaheadHitsOf(json: unknown): TypeaheadResult[] {
  return each(array(json, ""), "", (item) => {
    const hit = object(item, "");
    const title = text(hit.title, "title");
    return hit.account_id === undefined
      ? { title }
      : { title, accountId: text(hit.account_id, "account_id") };
  });
}
