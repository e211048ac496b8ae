/**
 * `weep credential_process ROLE` after a cache miss of the fast path, without the command tree: the arguments
 * were already understood by `parseFastArgs`, so commander (and every other command's code) is never loaded.
 * Anything the fast parser does not understand goes through `src/cli/run.ts` instead.
 *
 * @module
 */

import { createApp } from "./app_context.ts";
import type { FastArgs, FastMiss } from "../cache/fast_path.ts";
import type { HeldKeyLock } from "../cache/fast_wait.ts";
import { runCredentialProcess } from "../app/compose.ts";
import type { Output } from "../platform/output.ts";
import { report } from "./report.ts";

/**
 * Runs `credential_process` for already-parsed arguments, fetching under `held` (the role's lock the fast path
 * took) when given, with what the fast path `known` of the configuration; returns the exit code.
 */
export async function runDirect(
  args: FastArgs,
  output: Output,
  signal: AbortSignal,
  held?: HeldKeyLock,
  known: Omit<FastMiss, "wait"> = {},
): Promise<number> {
  try {
    const { globals } = args;
    if (globals.logLevel) output.level = globals.logLevel;
    if (globals.logFormat) output.format = globals.logFormat;
    // The configuration the snapshot holds was made from these inputs: no YAML to parse.
    const stored = known.snapshot?.loaded && { inputs: globals, stored: known.snapshot.loaded };
    const app = createApp(output, signal, undefined, stored);
    const options = {
      readCache: !args.noCache,
      ...(held ? { held } : {}),
      ...(known.fingerprint ? { fingerprint: known.fingerprint } : {}),
    };
    await runCredentialProcess(app, globals, args.role, options);
    return 0;
  } catch (error) {
    return report(error, output, signal);
  } finally {
    // Not taken by the full path (its key differed): let go of it here.
    await held?.lock.release();
  }
}
