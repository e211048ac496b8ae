/**
 * Whether a value fits a configuration key's kind. Written out by hand (a few lines per kind) so that loading
 * the configuration needs no validation library.
 *
 * @module
 */

import type { KeyKind, KeySpec } from "./schema.ts";

const isString = (value: unknown): value is string => typeof value === "string";
const isNumber = (value: unknown): value is number => typeof value === "number" && !Number.isNaN(value);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
const isListOf = (value: unknown, item: (each: unknown) => boolean): boolean =>
  Array.isArray(value) && value.every(item);

/** `""`, or an http:// or https:// URL with a host. */
function isHttpUrl(value: unknown): boolean {
  return isString(value) &&
    (value === "" || /^https?:\/\/[^/\s]+(\/\S*)?$/i.test(value) && URL.canParse(value));
}

/** Whether `value` is acceptable for key `spec`. */
export function isValid(spec: KeySpec, value: unknown): boolean {
  const [lo, hi] = spec.range ?? [0, Number.MAX_SAFE_INTEGER];
  const checks: Record<KeyKind, () => boolean> = {
    string: () => isString(value),
    url: () => isHttpUrl(value),
    urls: () => isListOf(value, (url) => isHttpUrl(url) && url !== ""),
    bool: () => typeof value === "boolean",
    int: () => isNumber(value) && Number.isInteger(value) && value >= lo && value <= hi,
    list: () => isListOf(value, isString),
    enum: () => isString(value) && (spec.values ?? []).includes(value),
    duration: () => isNumber(value) ? value >= 0 : isString(value) && /^\d+(\.\d+)?\s*(s|m|h)?$/.test(value),
    map: () => isObject(value) && Object.values(value).every(isString),
    routes: () =>
      isListOf(
        value,
        (route) =>
          isObject(route) && isString(route.path) && (route.data === undefined || isString(route.data)),
      ),
  };
  return checks[spec.kind]();
}
