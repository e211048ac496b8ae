/**
 * The effective configuration as rows: each key, its value and where the value came from (default, embedded, a
 * file, environment, flags), for `weep config` and `weep info`. Pure.
 *
 * @module
 */

import type { LoadedConfig } from "./load.ts";
import { getPath, KEYS } from "./schema.ts";

/** One row of the effective configuration. */
export interface ConfigRow {
  key: string;
  value: unknown;
  source: string;
}

/** The effective configuration as rows, in schema order. */
export function configRows(loaded: LoadedConfig): ConfigRow[] {
  return KEYS.map((key) => ({
    key: key.path,
    value: getPath(loaded.config, key.path),
    source: loaded.sources.get(key.path) ?? "default",
  }));
}

/** Renders rows as aligned text: `key = value  (source)`. */
export function formatConfigRows(rows: ConfigRow[]): string {
  let width = 0;
  for (const row of rows) width = Math.max(width, row.key.length);
  return rows.map((row) => `${row.key.padEnd(width)} = ${JSON.stringify(row.value)}  (${row.source})`).join(
    "\n",
  ) +
    "\n";
}
