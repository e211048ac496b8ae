/**
 * `weep credential_process ROLE` after a cache miss of the fast path, without the command tree: the arguments
 * were already understood by `parseFastArgs`, so commander (and every other command's code) is never loaded.
 * Anything the fast parser does not understand goes through `src/cli/run.ts` instead.
 *
 * @module
 */

import { createApp } from "./app_context.ts";
import type { FastArgs } from "../cache/fast_path.ts";
import { runCredentialProcess } from "../app/compose.ts";
import type { Output } from "../platform/output.ts";
import { report } from "./report.ts";

/** Runs `credential_process` for already-parsed arguments; returns the exit code. */
export async function runDirect(args: FastArgs, output: Output, signal: AbortSignal): Promise<number> {
  try {
    const { globals } = args;
    if (globals.logLevel) output.level = globals.logLevel;
    if (globals.logFormat) output.format = globals.logFormat;
    await runCredentialProcess(createApp(output, signal), globals, args.role, !args.noCache);
    return 0;
  } catch (error) {
    return report(error, output, signal);
  }
}
