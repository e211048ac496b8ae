/**
 * Turns any error into a message on stderr and an exit code: 2 for usage errors (commander's and
 * {@linkcode UsageError}), 130 when interrupted (143 for SIGTERM), the error's own code for
 * {@linkcode WeepError}, a permission message for Deno denials, and 1 for anything else.
 *
 * @module
 */

import { errorText, InterruptedError, interruption, WeepError } from "../errors.ts";
import { describePermissionError } from "../platform/denied.ts";
import type { Output } from "../platform/output.ts";

/** Commander's parse errors (checked by shape: the typed wrapper may load its own copy of commander). */
function isCommanderError(error: unknown): error is { code: string; exitCode: number; message: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string" &&
    (error as unknown as { code: string }).code.startsWith("commander.");
}

/** Reports `error` on `output` and returns the exit code. */
export function report(error: unknown, output: Output, signal: AbortSignal): number {
  if (isCommanderError(error)) {
    if (error.exitCode === 0) return 0;
    output.error(error.message.replace(/^error: /, ""), ["Run 'weep --help' for usage"]);
    return 2;
  }
  if (signal.aborted || error instanceof InterruptedError) {
    // The error may say what was interrupted ("... while waiting for weep process 4242 (...)").
    const reason = signal.aborted ? interruption(signal) : error as InterruptedError;
    output.error(error instanceof InterruptedError ? error.message : reason.message);
    return reason.exitCode;
  }
  if (error instanceof WeepError) {
    output.error(error.message, error.hints);
    // --log-level debug shows the whole chain (e.g. fetch failed ← received fatal alert: UnknownCA).
    for (let cause = error.cause, depth = 0; cause !== undefined && depth < 5; depth++) {
      output.debug(`caused by: ${errorText(cause)}`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    return error.exitCode;
  }
  const denied = describePermissionError(error);
  if (denied) {
    output.error(denied.message, denied.hints);
    return 1;
  }
  output.error(errorText(error), ["This is a bug in weep; run again with --log-level debug and report it"]);
  if (error instanceof Error && error.stack) output.debug(error.stack);
  return 1;
}
