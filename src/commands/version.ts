/**
 * `weep version`: the version and build metadata on stdout.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { App } from "../app/app.ts";
import { versionLine } from "../version.ts";

/** Registers `weep version`. */
export function registerVersion(program: Command, app: App): void {
  program
    .command("version")
    .description("print the version and build metadata")
    .action(() => {
      app.output.stdout(versionLine() + "\n");
    });
}
