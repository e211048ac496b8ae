/**
 * `weep config`: the effective configuration and where each value came from (default, embedded, a file,
 * environment, flags). `--json` for machines.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { configRows, formatConfigRows } from "../config/rows.ts";

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
