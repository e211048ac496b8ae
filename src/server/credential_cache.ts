/**
 * The credential server's in-memory cache: one entry per query (role, chain, no-IP), fetched once however
 * many requests arrive together, refreshed on demand while comfortably valid, and never handing out
 * credentials that are expired or about to expire. A failed refresh follows the disk cache's rule
 * (`src/cache/stale.ts`): only a transient failure is bridged with the cached credentials, and a refusal drops
 * them.
 *
 * @module
 */

import type { AwsCredentials, CredentialQuery, CredentialSource } from "../aws/credentials.ts";
import { mayServeStale, staleWarning } from "../cache/stale.ts";
import { errorText, failureOf, WeepError } from "../errors.ts";

/** Credentials as the cache holds them. */
export interface CachedCredentials {
  credentials: AwsCredentials;
  /** When they were fetched (IMDS `LastUpdated`). */
  fetchedAt: Date;
}

/** What the cache needs. */
export interface CredentialCacheOptions {
  source: CredentialSource;
  now: () => Date;
  /** Refresh when less than this remains (default 15 minutes: boto3 re-asks below that). */
  refreshAheadMs?: number;
  /** Never serve credentials with less than this left (default 1 minute). */
  minServeMs?: number;
  /**
   * `cache.stale_min_remaining`: what cached credentials must have left to stand in for a refresh that failed
   * for a transient reason (default 2 minutes).
   */
  staleMinRemainingMs?: number;
  /** After a fetch, wait this long before trying again while the cached credentials are still servable. */
  retryAfterMs?: number;
  /** Passed to the source: aborts fetches when the server stops. */
  signal?: AbortSignal;
  /** Receives warnings (a failed refresh); never secrets. */
  warn?: (message: string) => void;
}

interface Entry {
  value?: CachedCredentials;
  inflight?: Promise<CachedCredentials>;
  /** When the last fetch started (successful or not). */
  attemptedAt?: Date;
  /** Why the last fetch failed, until one succeeds. */
  failure?: unknown;
}

/** The default refresh-ahead window: 15 minutes. */
export const REFRESH_AHEAD_MS = 15 * 60_000;
/** The default minimum lifetime of served credentials: 1 minute. */
export const MIN_SERVE_MS = 60_000;
/** The default of `cache.stale_min_remaining`: 2 minutes. */
export const STALE_MIN_REMAINING_MS = 120_000;

/** A cache of credentials per query, in front of a {@linkcode CredentialSource}. */
export class CredentialCache {
  readonly #options: CredentialCacheOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #refreshAheadMs: number;
  readonly #minServeMs: number;
  readonly #staleMinRemainingMs: number;
  readonly #retryAfterMs: number;

  /** Creates an empty cache over `options.source`. */
  constructor(options: CredentialCacheOptions) {
    this.#options = options;
    this.#refreshAheadMs = options.refreshAheadMs ?? REFRESH_AHEAD_MS;
    this.#minServeMs = options.minServeMs ?? MIN_SERVE_MS;
    this.#staleMinRemainingMs = options.staleMinRemainingMs ?? STALE_MIN_REMAINING_MS;
    this.#retryAfterMs = options.retryAfterMs ?? 60_000;
  }

  /** How many queries have an entry (expired entries are dropped on each {@linkcode get}). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Credentials for `query`: the cached ones while more than the refresh-ahead window remains, else fresh
   * ones (one fetch shared by every caller). When a refresh fails for a transient reason, the cached
   * credentials are still served while `staleMinRemainingMs` remains; a refusal drops them; otherwise the
   * error is thrown. Expired credentials never come out.
   */
  async get(query: CredentialQuery): Promise<CachedCredentials> {
    this.#dropExpired();
    const key = queryKey(query);
    let entry = this.#entries.get(key);
    if (!entry) this.#entries.set(key, entry = {});
    const cached = entry.value;
    if (cached && this.#fresh(entry, cached)) return cached;
    try {
      return await this.#fetch(entry, query);
    } catch (error) {
      const current = entry.value;
      if (current && this.#bridges(error, current)) {
        this.#options.warn?.(staleWarning(error, current.credentials.expiration));
        return current;
      }
      if (failureOf(error) === "refusal") delete entry.value;
      this.#options.warn?.(`Cannot get credentials for "${query.role}": ${errorText(error)}`);
      throw error;
    }
  }

  /** Whether `value` may stand in for a refresh that failed with `error` (the disk cache's rule). */
  #bridges(error: unknown, value: CachedCredentials): boolean {
    return mayServeStale(
      error,
      value.credentials.expiration,
      this.#options.now(),
      this.#staleMinRemainingMs / 1000,
    );
  }

  /** The cached credentials for `query` if it has any that may still be served; never fetches. */
  peek(query: CredentialQuery): CachedCredentials | undefined {
    const value = this.#entries.get(queryKey(query))?.value;
    return value && this.#remainingMs(value) > this.#minServeMs ? value : undefined;
  }

  #fresh(entry: Entry, value: CachedCredentials): boolean {
    const remaining = this.#remainingMs(value);
    if (remaining >= this.#refreshAheadMs) return true;
    // Short-lived or not refreshable right now: keep serving them for a while rather than asking on every call.
    const since = entry.attemptedAt ? this.#options.now().getTime() - entry.attemptedAt.getTime() : Infinity;
    if (since >= this.#retryAfterMs) return false;
    return "failure" in entry ? this.#bridges(entry.failure, value) : remaining > this.#minServeMs;
  }

  #fetch(entry: Entry, query: CredentialQuery): Promise<CachedCredentials> {
    if (entry.inflight) return entry.inflight;
    entry.attemptedAt = this.#options.now();
    const promise = (async (): Promise<CachedCredentials> => {
      let credentials: AwsCredentials;
      try {
        credentials = await this.#options.source(query, this.#options.signal);
      } catch (error) {
        entry.failure = error;
        throw error;
      }
      const value = { credentials, fetchedAt: this.#options.now() };
      if (this.#remainingMs(value) <= 0) {
        throw new WeepError(
          `The credentials for "${query.role}" expired before they could be served ` +
            `(expiration ${credentials.expiration.toISOString()})`,
          { hints: ["Check that this computer's clock is right"] },
        );
      }
      entry.value = value;
      delete entry.failure;
      return value;
    })();
    const settle = () => {
      if (entry.inflight === promise) delete entry.inflight;
    };
    promise.then(settle, settle);
    return entry.inflight = promise;
  }

  #remainingMs(value: CachedCredentials): number {
    return value.credentials.expiration.getTime() - this.#options.now().getTime();
  }

  #dropExpired(): void {
    for (const [key, entry] of this.#entries) {
      if (entry.inflight) continue;
      if (!entry.value || this.#remainingMs(entry.value) <= 0) this.#entries.delete(key);
    }
  }
}

/** The cache key of a query: role, chain and no-IP flag. */
export function queryKey(query: CredentialQuery): string {
  return JSON.stringify([query.role, query.assumeRoles, query.noIp]);
}
