/**
 * A credential source with the cross-process cache in front: serve a fresh entry from disk; otherwise take
 * the key's lock, look again (another process may just have fetched), fetch once and store.
 *
 * When the fetch fails, the failure decides (see `FailureKind`): a transient one (ConsoleMe down, slow or
 * garbled, a login that failed) serves the cached entry while it is valid for `cache.stale_min_remaining`; a
 * refusal removes it; nothing else touches it. The failure is kept next to the lock for
 * `cache.failure_window`, and every process that waited on the lock, or comes within that window, takes it
 * instead of asking ConsoleMe again.
 *
 * @module
 */

import type { AwsCredentials, CredentialQuery, CredentialSource } from "../aws/credentials.ts";
import { failureOf, InterruptedError, WeepError } from "../errors.ts";
import type { Output } from "../platform/output.ts";
import { clearFailure, recentFailure, recordFailure } from "../platform/shared_failure.ts";
import { type CacheDirs, type CacheKey, cacheKey, isFresh, keyId } from "./entry.ts";
import { fetchDoing, type HeldKeyLock } from "./fast_wait.ts";
import { mayServeStale, staleWarning } from "./stale.ts";
import { lockKey, lockPath, readEntry, removeEntry, writeEntry } from "./store.ts";

/** How the cache is used. */
export interface CacheOptions {
  dirs: CacheDirs;
  /** ConsoleMe base URL. */
  url: string;
  /** Who is asking (part of every key). */
  identity: () => Promise<string>;
  /** `cache.min_remaining` in seconds. */
  minRemainingSeconds: number;
  /** `cache.stale_min_remaining` in seconds: the least a stale entry must have left to stand in. */
  staleMinRemainingSeconds: number;
  /** `cache.failure_window` in seconds: how long a failure is shared with other processes. */
  failureWindowSeconds: number;
  /** How long fetching `query` may legitimately take: what waiters on the key's lock allow the holder. */
  fetchBudgetMs: (query: CredentialQuery) => number;
  /** Whether cached credentials may be served (`--no-cache` turns this off; results are still stored). */
  read: boolean;
  now: () => Date;
  output: Output;
  /** A key's lock the fast path already took (`fast_wait.ts`): used in place of taking that lock again. */
  held?: HeldKeyLock;
}

/** Wraps `source` with the credential cache. */
export function cachedSource(source: CredentialSource, options: CacheOptions): CredentialSource {
  const { dirs, output } = options;
  const windowMs = options.failureWindowSeconds * 1000;

  const fresh = async (key: CacheKey): Promise<AwsCredentials | undefined> => {
    if (!options.read) return undefined;
    const entry = await readEntry(dirs, key);
    if (!entry || !isFresh(entry, options.now(), options.minRemainingSeconds)) return undefined;
    output.redact(
      entry.credentials.accessKeyId,
      entry.credentials.secretAccessKey,
      entry.credentials.sessionToken,
    );
    return entry.credentials;
  };

  /** Serves the cached entry in place of `error` when the stale rule allows it; throws `error` otherwise. */
  const settle = async (key: CacheKey, error: unknown): Promise<AwsCredentials> => {
    const entry = options.read ? await readEntry(dirs, key) : undefined;
    if (
      !entry ||
      !mayServeStale(error, entry.credentials.expiration, options.now(), options.staleMinRemainingSeconds)
    ) {
      throw error;
    }
    const c = entry.credentials;
    output.redact(c.accessKeyId, c.secretAccessKey, c.sessionToken);
    output.warn(staleWarning(error, c.expiration));
    return c;
  };

  /**
   * A failure another process met on this key within the window, if any (for `--no-cache`, only one met
   * after `since`: it asks ConsoleMe now, unless it waited for a process that just did).
   */
  const shared = async (lock: string, since: number): Promise<WeepError | undefined> => {
    const failure = await recentFailure(lock, "", options.now().getTime(), windowMs);
    if (!failure || failure.at < since) return undefined;
    const age = ((options.now().getTime() - failure.at) / 1000).toFixed(1);
    output.debug(`Weep process ${failure.pid} met this failure ${age} s ago; not asking ConsoleMe again yet`);
    return failure.error;
  };

  return async (query: CredentialQuery, signal?: AbortSignal): Promise<AwsCredentials> => {
    const key = cacheKey(options.url, await options.identity(), query);
    const lock = lockPath(dirs, await keyId(key));
    const since = options.read ? 0 : options.now().getTime();
    const hit = await fresh(key);
    if (hit) {
      output.debug("Served credentials from the cache");
      return hit;
    }
    const earlier = await shared(lock, since);
    if (earlier) return await settle(key, earlier);
    const { held } = options;
    await using _lock = held?.path === lock ? held.lock : await lockKey(dirs, key, {
      doing: fetchDoing(query),
      needMs: options.fetchBudgetMs(query),
      overrun: "proceed",
      signal,
      log: (level, message) => output.log(level, message),
    });
    const fetched = await fresh(key);
    if (fetched) {
      output.debug("Served credentials another weep process just fetched");
      return fetched;
    }
    const met = await shared(lock, since);
    if (met) return await settle(key, met);
    let credentials: AwsCredentials;
    try {
      credentials = await source(query, signal);
    } catch (error) {
      if (signal?.aborted || error instanceof InterruptedError) throw error;
      // ConsoleMe refused this role or user: the old entry must not be served again.
      if (failureOf(error) === "refusal") await removeEntry(dirs, key);
      if (error instanceof WeepError) await recordFailure(lock, "", error, options.now().getTime());
      return await settle(key, error);
    }
    await writeEntry(dirs, { key, credentials, fetchedAt: options.now() });
    await clearFailure(lock);
    return credentials;
  };
}
