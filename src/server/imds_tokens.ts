/**
 * IMDSv2 session tokens, as the real metadata service hands them out: `PUT /latest/api/token` with a TTL of
 * 1 to 21600 seconds, then the token in `X-aws-ec2-metadata-token` on every data request until it expires.
 *
 * @module
 */

import { base64url } from "./auth_token.ts";

/** The longest token lifetime IMDS allows: 6 hours. */
export const MAX_TOKEN_TTL_SECONDS = 21600;

/** How many live tokens are kept at most; the oldest is dropped beyond that. */
export const MAX_TOKENS = 10_000;

/**
 * Parses an `X-aws-ec2-metadata-token-ttl-seconds` value: an integer from 1 to 21600 (leading zeros and
 * surrounding spaces allowed); `undefined` for anything else, including a missing header.
 */
export function parseTokenTtl(value: string | null): number | undefined {
  if (value === null || !/^\s*\d{1,9}\s*$/.test(value)) return undefined;
  const ttl = Number(value.trim());
  return ttl >= 1 && ttl <= MAX_TOKEN_TTL_SECONDS ? ttl : undefined;
}

/** The live IMDSv2 tokens of one server. */
export class ImdsTokens {
  readonly #now: () => Date;
  /** Token -> expiry in epoch milliseconds, oldest first. */
  readonly #tokens = new Map<string, number>();
  #sweptAt = -Infinity;

  /** Creates an empty token store on `now`'s clock. */
  constructor(now: () => Date) {
    this.#now = now;
  }

  /** How many tokens are stored (expired ones go on the next {@linkcode issue}). */
  get size(): number {
    return this.#tokens.size;
  }

  /** Issues a token that lives `ttlSeconds` (already validated with {@linkcode parseTokenTtl}). */
  issue(ttlSeconds: number): string {
    const now = this.#now().getTime();
    if (now - this.#sweptAt >= 1000) {
      this.#sweptAt = now;
      for (const [token, expires] of this.#tokens) if (expires <= now) this.#tokens.delete(token);
    }
    while (this.#tokens.size >= MAX_TOKENS) {
      const oldest = this.#tokens.keys().next().value;
      if (oldest === undefined) break;
      this.#tokens.delete(oldest);
    }
    const token = base64url(crypto.getRandomValues(new Uint8Array(40)));
    this.#tokens.set(token, now + ttlSeconds * 1000);
    return token;
  }

  /** The whole seconds `token` has left, or `undefined` when it is unknown or expired. */
  remainingSeconds(token: string): number | undefined {
    const expires = this.#tokens.get(token);
    if (expires === undefined) return undefined;
    const left = expires - this.#now().getTime();
    if (left <= 0) {
      this.#tokens.delete(token);
      return undefined;
    }
    return Math.ceil(left / 1000);
  }
}
