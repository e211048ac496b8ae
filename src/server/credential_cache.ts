/**
 * The credential server's in-memory cache: one entry per query (role, chain, no-IP), fetched once however
 * many requests arrive together, refreshed on demand while comfortably valid, and never handing out
 * credentials that are expired or about to expire.
 *
 * @module
 */

import type { AwsCredentials, CredentialQuery, CredentialSource } from "../aws/credentials.ts";
import { errorText, WeepError } from "../errors.ts";

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
}

/** The default refresh-ahead window: 15 minutes. */
export const REFRESH_AHEAD_MS = 15 * 60_000;
/** The default minimum lifetime of served credentials: 1 minute. */
export const MIN_SERVE_MS = 60_000;

/** A cache of credentials per query, in front of a {@linkcode CredentialSource}. */
export class CredentialCache {
  readonly #options: CredentialCacheOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #refreshAheadMs: number;
  readonly #minServeMs: number;
  readonly #retryAfterMs: number;

  /** Creates an empty cache over `options.source`. */
  constructor(options: CredentialCacheOptions) {
    this.#options = options;
    this.#refreshAheadMs = options.refreshAheadMs ?? REFRESH_AHEAD_MS;
    this.#minServeMs = options.minServeMs ?? MIN_SERVE_MS;
    this.#retryAfterMs = options.retryAfterMs ?? 60_000;
  }

  /** How many queries have an entry (expired entries are dropped on each {@linkcode get}). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Credentials for `query`: the cached ones while more than the refresh-ahead window remains, else fresh
   * ones (one fetch shared by every caller). When a refresh fails, the cached credentials are still served
   * if more than the minimum lifetime remains; otherwise the error is thrown. Expired credentials never
   * come out.
   */
  async get(query: CredentialQuery): Promise<CachedCredentials> {
    this.#dropExpired();
    const key = cacheKey(query);
    let entry = this.#entries.get(key);
    if (!entry) this.#entries.set(key, entry = {});
    const cached = entry.value;
    if (cached && this.#fresh(entry, cached)) return cached;
    try {
      return await this.#fetch(entry, query);
    } catch (error) {
      const current = entry.value;
      const reason = errorText(error);
      if (current && this.#remainingMs(current) > this.#minServeMs) {
        this.#options.warn?.(
          `Cannot refresh credentials for "${query.role}": ${reason}; serving the cached ones until they ` +
            `are about to expire`,
        );
        return current;
      }
      this.#options.warn?.(`Cannot get credentials for "${query.role}": ${reason}`);
      throw error;
    }
  }

  /** The cached credentials for `query` if it has any that may still be served; never fetches. */
  peek(query: CredentialQuery): CachedCredentials | undefined {
    const value = this.#entries.get(cacheKey(query))?.value;
    return value && this.#remainingMs(value) > this.#minServeMs ? value : undefined;
  }

  #fresh(entry: Entry, value: CachedCredentials): boolean {
    const remaining = this.#remainingMs(value);
    if (remaining >= this.#refreshAheadMs) return true;
    // Short-lived or not refreshable right now: keep serving them for a while rather than asking on every call.
    const since = entry.attemptedAt ? this.#options.now().getTime() - entry.attemptedAt.getTime() : Infinity;
    return remaining > this.#minServeMs && since < this.#retryAfterMs;
  }

  #fetch(entry: Entry, query: CredentialQuery): Promise<CachedCredentials> {
    if (entry.inflight) return entry.inflight;
    entry.attemptedAt = this.#options.now();
    const promise = (async (): Promise<CachedCredentials> => {
      const credentials = await this.#options.source(query, this.#options.signal);
      const value = { credentials, fetchedAt: this.#options.now() };
      if (this.#remainingMs(value) <= 0) {
        throw new WeepError(
          `The credentials for "${query.role}" expired before they could be served ` +
            `(expiration ${credentials.expiration.toISOString()})`,
          { hints: ["Check that this computer's clock is right"] },
        );
      }
      entry.value = value;
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
export function cacheKey(query: CredentialQuery): string {
  return JSON.stringify([query.role, query.assumeRoles, query.noIp]);
}
