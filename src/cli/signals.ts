/**
 * What Ctrl-C and SIGTERM do to a running weep: the first aborts the signal commands watch (with an
 * {@linkcode InterruptedError}: exit 130, or 143 for SIGTERM); a second one, or a command still running 2 s
 * after the first (blocked where no signal reaches), exits at once. Installed by `main.ts` for the command tree,
 * and by the credential_process start (`fast_start.ts`) before it waits on a lock.
 *
 * @module
 */

import { InterruptedError } from "../errors.ts";
import type { Output } from "../platform/output.ts";

/** Installs the handlers; returns the controller whose signal they abort. `exit` ends the process. */
export function stopOnSignals(output: Pick<Output, "error">, exit: (code: number) => never): AbortController {
  const controller = new AbortController();
  const onSignal = (reason: InterruptedError) => () => {
    if (controller.signal.aborted) exit(reason.exitCode);
    controller.abort(reason);
    // Commands stop on the signal; one blocked where no signal reaches must not need a second Ctrl-C.
    Deno.unrefTimer(setTimeout(() => {
      output.error(reason.message);
      exit(reason.exitCode);
    }, 2000));
  };
  Deno.addSignalListener("SIGINT", onSignal(new InterruptedError("Interrupted", 130)));
  if (Deno.build.os !== "windows") {
    Deno.addSignalListener("SIGTERM", onSignal(new InterruptedError("Terminated", 143)));
  }
  return controller;
}
