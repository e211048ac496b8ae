/**
 * A failure one weep process met, kept next to the lock it held for a few seconds, so that the processes that
 * waited on that lock (and those that come right after) take the same answer instead of asking a failing
 * ConsoleMe again, one timeout after another.
 *
 * @module
 */

import { type FailureKind, WeepError } from "../errors.ts";
import { besideLock } from "./locks.ts";
import { readTrustedText, writeStateFile } from "./state_files.ts";
import { parseRecord } from "./state_trust.ts";

/** A failure another process recorded. */
export interface SharedFailure {
  error: WeepError;
  /** The process that met it. */
  pid: number;
  /** When (epoch ms). */
  at: number;
}

const KINDS: readonly FailureKind[] = ["transient", "refusal", "final"];

/** The file next to a lock where a failure is kept. */
export function failurePath(lockPath: string): string {
  return besideLock(lockPath, "failure");
}

/**
 * Keeps `error` next to `lockPath` for the requests `scope` names (a lock may guard requests to several
 * ConsoleMes). Best effort: without it, waiters only ask ConsoleMe again.
 */
export async function recordFailure(
  lockPath: string,
  scope: string,
  error: WeepError,
  now: number,
): Promise<void> {
  const text = JSON.stringify({
    pid: Deno.pid,
    at: now,
    scope,
    message: error.message,
    hints: error.hints,
    failure: error.failure,
  });
  await writeStateFile(failurePath(lockPath), text + "\n").catch(() => {});
}

/**
 * The failure kept next to `lockPath` for `scope` if it is less than `windowMs` old at `now`, and the record is
 * this user's own (a planted one is ignored).
 */
export async function recentFailure(
  lockPath: string,
  scope: string,
  now: number,
  windowMs: number,
): Promise<SharedFailure | undefined> {
  const data = parseRecord(await readTrustedText(failurePath(lockPath), "the kept failure"));
  if (data === undefined) return undefined;
  const { pid, at, message, hints, failure } = data;
  if (typeof pid !== "number" || typeof at !== "number" || typeof message !== "string") return undefined;
  if (data.scope !== scope) return undefined;
  // A time ahead of this clock is not trusted: it would keep the failure alive.
  if (!(at <= now && now - at < windowMs)) return undefined;
  const kind = KINDS.find((k) => k === failure) ?? "final";
  const lines = Array.isArray(hints) ? hints.filter((hint): hint is string => typeof hint === "string") : [];
  return { error: new WeepError(message, { hints: lines, failure: kind }), pid, at };
}

/** Forgets the failure kept next to `lockPath`, after a success. */
export async function clearFailure(lockPath: string): Promise<void> {
  await Deno.remove(failurePath(lockPath)).catch(() => {});
}
