/**
 * A credential source with the cross-process cache in front: serve a fresh entry from disk; otherwise take
 * the key's lock, look again (another process may just have fetched), fetch once and store.
 *
 * @module
 */

import type { AwsCredentials, CredentialQuery, CredentialSource } from "../aws/credentials.ts";
import { NetworkError } from "../consoleme/http.ts";
import { InterruptedError } from "../errors.ts";
import type { Output } from "../platform/output.ts";
import { type CacheKey, isFresh } from "./entry.ts";
import { type CacheDirs, lockKey, readEntry, removeEntry, writeEntry } from "./store.ts";

/** How the cache is used. */
export interface CacheOptions {
  dirs: CacheDirs;
  /** ConsoleMe base URL. */
  url: string;
  /** Who is asking (part of every key). */
  identity: () => Promise<string>;
  /** `cache.min_remaining` in seconds. */
  minRemainingSeconds: number;
  /** Whether a fresh entry may be served (`--no-cache` turns this off; results are still stored). */
  read: boolean;
  now: () => Date;
  output: Output;
}

/** The cache key of a query. */
export function cacheKey(url: string, user: string, query: CredentialQuery): CacheKey {
  return { url, user, role: query.role, assume: [...query.assumeRoles], noIp: query.noIp };
}

/** Wraps `source` with the credential cache. */
export function cachedSource(source: CredentialSource, options: CacheOptions): CredentialSource {
  const fresh = async (key: CacheKey): Promise<AwsCredentials | undefined> => {
    if (!options.read) return undefined;
    const entry = await readEntry(options.dirs, key);
    if (!entry || !isFresh(entry, options.now(), options.minRemainingSeconds)) return undefined;
    options.output.redact(
      entry.credentials.accessKeyId,
      entry.credentials.secretAccessKey,
      entry.credentials.sessionToken,
    );
    return entry.credentials;
  };

  return async (query: CredentialQuery, signal?: AbortSignal): Promise<AwsCredentials> => {
    const key = cacheKey(options.url, await options.identity(), query);
    const hit = await fresh(key);
    if (hit) {
      options.output.debug("Served credentials from the cache");
      return hit;
    }
    await using _lock = await lockKey(options.dirs, key);
    const fetched = await fresh(key);
    if (fetched) {
      options.output.debug("Served credentials another weep process just fetched");
      return fetched;
    }
    let credentials: AwsCredentials;
    try {
      credentials = await source(query, signal);
    } catch (error) {
      // The broker said no (role gone, session invalid, ...): the old entry must not be served again.
      if (!(error instanceof NetworkError || error instanceof InterruptedError)) {
        await removeEntry(options.dirs, key);
      }
      throw error;
    }
    await writeEntry(options.dirs, { key, credentials, fetchedAt: options.now() });
    return credentials;
  };
}
