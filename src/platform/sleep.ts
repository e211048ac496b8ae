/**
 * Waiting that Ctrl-C can interrupt.
 *
 * @module
 */

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * {@linkcode sleep} for a process that exits by itself (weep's CLI ends with `Deno.exit`) or lives on anyway:
 * its timer cannot be cancelled, so it keeps the event loop alive until `ms` has passed, even after `signal`
 * aborted. It is made with `AbortSignal.timeout`, whose first use costs a fresh process about 0.3 ms, where the
 * first `setTimeout` costs about 4.5 ms of CPU (Deno then loads its Node-style timers): processes that wait on
 * a lock start by the dozen, and their timer almost never fires.
 */
export function wakeAfter(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal?.reason);
    AbortSignal.timeout(ms).addEventListener("abort", () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, { once: true });
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
