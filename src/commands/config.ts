/**
 * `weep config`: the effective configuration and where each value came from (default, embedded, a file,
 * environment, flags). `--json` for machines.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app.ts";
import type { LoadedConfig } from "../config/load.ts";
import { getPath, KEYS } from "../config/schema.ts";

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
  const width = Math.max(...rows.map((row) => row.key.length));
  return rows.map((row) => `${row.key.padEnd(width)} = ${JSON.stringify(row.value)}  (${row.source})`).join(
    "\n",
  ) +
    "\n";
}

/** Registers `weep config`. */
export function registerConfig(program: Command, app: App): void {
  program
    .command("config")
    .description("show the effective configuration and where each value comes from")
    .option("--json", "print JSON")
    .action(async (options, command) => {
      const loaded = await app.loadConfig(globalsOf(command));
      const rows = configRows(loaded);
      app.output.stdout(
        options.json
          ? JSON.stringify({ files: loaded.files, keys: rows }, null, 2) + "\n"
          : formatConfigRows(rows),
      );
    });
}
