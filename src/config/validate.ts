/**
 * Validation of configuration values with valibot schemas built from each key's kind.
 *
 * @module
 */

import * as v from "valibot";
import type { KeyKind, KeySpec } from "./schema.ts";

const httpUrl = v.pipe(
  v.string(),
  v.check((value) => value === "" || /^https?:\/\/[^/\s]+(\/\S*)?$/i.test(value) && URL.canParse(value)),
);

const cache = new Map<string, v.GenericSchema>();

/** The valibot schema that accepts a value of key `spec`. */
export function schemaFor(spec: KeySpec): v.GenericSchema {
  let schema = cache.get(spec.path);
  if (!schema) {
    const [lo, hi] = spec.range ?? [0, Number.MAX_SAFE_INTEGER];
    const build: Record<KeyKind, () => v.GenericSchema> = {
      string: () => v.string(),
      url: () => httpUrl,
      urls: () => v.array(v.pipe(httpUrl, v.nonEmpty())),
      bool: () => v.boolean(),
      int: () => v.pipe(v.number(), v.integer(), v.minValue(lo), v.maxValue(hi)),
      list: () => v.array(v.string()),
      enum: () => v.picklist(spec.values ?? []),
      duration: () =>
        v.union([v.pipe(v.number(), v.minValue(0)), v.pipe(v.string(), v.regex(/^\d+(\.\d+)?\s*(s|m|h)?$/))]),
      map: () => v.record(v.string(), v.string()),
      routes: () => v.array(v.object({ path: v.string(), data: v.optional(v.string(), "") })),
    };
    schema = build[spec.kind]();
    cache.set(spec.path, schema);
  }
  return schema;
}

/** Whether `value` is acceptable for key `spec`. */
export function isValid(spec: KeySpec, value: unknown): boolean {
  return v.is(schemaFor(spec), value);
}
