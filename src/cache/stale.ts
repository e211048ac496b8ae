/**
 * The one rule by which cached credentials may stand in for a refresh that failed, shared by the disk cache
 * (`credential_process`, `export`, `file`) and `weep serve`'s in-memory cache.
 *
 * @module
 */

import { formatExpiration } from "../aws/credentials.ts";
import { errorText, failureOf } from "../errors.ts";

/**
 * Whether credentials that expire at `expiration` may be served at `now` in place of a refresh that failed
 * with `error`: only when the failure is transient (ConsoleMe unreachable, slow, broken, or its login failing)
 * and at least `staleMinRemainingSeconds` remain. A refusal or any other failure is never papered over.
 */
export function mayServeStale(
  error: unknown,
  expiration: Date,
  now: Date,
  staleMinRemainingSeconds: number,
): boolean {
  return failureOf(error) === "transient" &&
    expiration.getTime() - now.getTime() >= staleMinRemainingSeconds * 1000;
}

/** The warning printed when stale credentials are served: what failed, and until when they last. */
export function staleWarning(error: unknown, expiration: Date): string {
  return `ConsoleMe failed (${errorText(error)}); using cached credentials that expire at ${
    formatExpiration(expiration)
  }`;
}
