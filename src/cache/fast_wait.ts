/**
 * A miss of the cache fast path, before any network code is loaded: when the config snapshot says how long a
 * fetch may take, the process takes the role's lock here and looks at the entry again. Of many processes that
 * start at once for one role, one goes on to fetch (holding the lock into `cached_source.ts`); every other one
 * waits here, as briefly as the full path would (the holder's record, `platform/locks.ts`), and prints the
 * entry the first one stored, without loading the config parser, ConsoleMe's client or the command tree.
 *
 * A failure another process met on this key within `cache.failure_window` is left to the full path
 * (`cached_source.ts`), which takes its answer without asking ConsoleMe again; this process lets go of the lock
 * first, so the others do not wait for it.
 *
 * @module
 */

import { credentialProcessJson, type CredentialQuery } from "../aws/credentials.ts";
import type { FileLock } from "../platform/locks.ts";
import type { Output } from "../platform/output.ts";
import { recentFailure } from "../platform/shared_failure.ts";
import { onStateNotice } from "../platform/state_files.ts";
import { type CacheDirs, type CacheKey, isFresh, keyId } from "./entry.ts";
import { lockKey, lockPath, readEntry } from "./store.ts";

/** How long a fetch may take and how long its failure is shared: what the config snapshot keeps of them. */
export interface FetchLimits {
  /** The ConsoleMe request and weep's own work (ms). */
  baseMs: number;
  /** Added per `--assume-role` (ms). */
  perAssumedRoleMs: number;
  /** `cache.failure_window` (s). */
  failureWindowSeconds: number;
}

/** How long fetching `query` may legitimately take: how long waiters on the key's lock allow its holder. */
export function fetchBudgetMs(limits: FetchLimits, query: CredentialQuery): number {
  return limits.baseMs + query.assumeRoles.length * limits.perAssumedRoleMs;
}

/** What the holder of a key's lock says it does, for waiters' messages. */
export function fetchDoing(query: CredentialQuery): string {
  return `fetching credentials for "${query.role}" from ConsoleMe`;
}

/** A key's lock this process holds, handed from the fast path to the full path (`cached_source.ts`). */
export interface HeldKeyLock {
  path: string;
  lock: FileLock;
}

/** A fast-path miss the full path may be spared: the key, and what the snapshot says of it. */
export interface FetchWait {
  dirs: CacheDirs;
  key: CacheKey;
  query: CredentialQuery;
  /** `cache.min_remaining` (s). */
  minRemaining: number;
  limits: FetchLimits;
}

/**
 * Takes the key's lock (waiting for a holder as long as it may need) and looks again: `{ json }` when another
 * process stored fresh credentials meanwhile; `{ held }`, the lock to fetch under, when this process is the one
 * to fetch (also after going past a stuck holder: then the lock is not held); `{}` when a failure is shared on
 * the key (the lock is let go). Throws an `InterruptedError` on `signal`, naming what was waited for.
 */
export async function awaitFetch(
  wait: FetchWait,
  output: Output,
  signal: AbortSignal,
  now: () => Date,
): Promise<{ json?: string; held?: HeldKeyLock }> {
  // A lock record or entry that is not this user's own is said on stderr, as the full path says it.
  onStateNotice((message) => output.warn(message));
  const path = lockPath(wait.dirs, await keyId(wait.key));
  const lock = await lockKey(wait.dirs, wait.key, {
    doing: fetchDoing(wait.query),
    needMs: fetchBudgetMs(wait.limits, wait.query),
    overrun: "proceed",
    signal,
    log: (level, message) => output.log(level, message),
  });
  try {
    const entry = await readEntry(wait.dirs, wait.key);
    if (entry && isFresh(entry, now(), wait.minRemaining)) {
      output.debug("Served credentials another weep process just fetched, without loading the network code");
      await lock.release();
      return { json: credentialProcessJson(entry.credentials) };
    }
    const windowMs = wait.limits.failureWindowSeconds * 1000;
    if (await recentFailure(path, "", now().getTime(), windowMs)) {
      await lock.release();
      return {};
    }
    return { held: { path, lock } };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
