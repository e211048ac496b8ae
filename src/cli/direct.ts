/**
 * `weep credential_process ROLE` after a cache miss of the fast path, without the command tree: the arguments
 * were already understood by `parseFastArgs`, so commander (and every other command's code) is never loaded.
 * Anything the fast parser does not understand goes through `src/cli/run.ts` instead.
 *
 * @module
 */

import { createApp } from "./app_context.ts";
import type { FastArgs } from "../cache/fast_path.ts";
import type { HeldKeyLock } from "../cache/fast_wait.ts";
import { runCredentialProcess } from "../app/compose.ts";
import type { Output } from "../platform/output.ts";
import { report } from "./report.ts";

/**
 * Runs `credential_process` for already-parsed arguments, fetching under `held` (the role's lock the fast path
 * took) when given; returns the exit code.
 */
export async function runDirect(
  args: FastArgs,
  output: Output,
  signal: AbortSignal,
  held?: HeldKeyLock,
): Promise<number> {
  try {
    const { globals } = args;
    if (globals.logLevel) output.level = globals.logLevel;
    if (globals.logFormat) output.format = globals.logFormat;
    const options = { readCache: !args.noCache, ...(held ? { held } : {}) };
    await runCredentialProcess(createApp(output, signal), globals, args.role, options);
    return 0;
  } catch (error) {
    return report(error, output, signal);
  } finally {
    // Not taken by the full path (its key differed): let go of it here.
    await held?.lock.release();
  }
}
