/**
 * AWS credentials as weep passes them around, and the `credential_process` JSON the SDKs read.
 *
 * @module
 */

import type { GlobalOptions } from "../global_flags.ts";

/** Temporary AWS credentials. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** When they stop working. */
  expiration: Date;
  /** The role the credentials are for, when known (ConsoleMe OSS does not say; an STS chain does). */
  roleArn?: string;
}

/** The longest credential lifetime weep believes: STS issues at most 36 hours (`GetSessionToken`). */
export const MAX_LIFETIME_MS = 36 * 3600_000;

/**
 * Why an `Expiration` received at `now` cannot be right, or `undefined` when it can: it must be a valid time,
 * later than `now` and at most {@linkcode MAX_LIFETIME_MS} ahead.
 */
export function expirationProblem(expiration: Date, now: Date): string | undefined {
  const ms = expiration.getTime();
  if (!Number.isFinite(ms)) return "is not a valid time";
  if (ms <= now.getTime()) {
    return `is in the past (${formatExpiration(expiration)}; now is ${formatExpiration(now)})`;
  }
  if (ms - now.getTime() > MAX_LIFETIME_MS) {
    return `is more than 36 hours ahead (${formatExpiration(expiration)})`;
  }
  return undefined;
}

/** Formats a date as RFC 3339 UTC with a `Z` and no fractional seconds: `2026-11-28T18:32:50Z`. */
export function formatExpiration(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The one line of JSON a `credential_process` helper prints: `Version` 1 first, then the keys every SDK
 * reads, `Expiration` in RFC 3339 UTC. Ends with a newline (every SDK's JSON parser accepts it).
 */
export function credentialProcessJson(credentials: AwsCredentials): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: formatExpiration(credentials.expiration),
  }) + "\n";
}

/** What a caller asks for: a role (ARN or search string), an optional assume-role chain, and the no-IP flag. */
export interface CredentialQuery {
  role: string;
  assumeRoles: string[];
  noIp: boolean;
}

/** The query for `role` with the global `--assume-role` chain and `--no-ip`. */
export function credentialQuery(
  role: string,
  globals: Pick<GlobalOptions, "assumeRole" | "noIp">,
): CredentialQuery {
  return { role, assumeRoles: globals.assumeRole ?? [], noIp: globals.noIp ?? false };
}

/** Anything that can produce credentials for a query (ConsoleMe + STS chain, the cache, a fake in tests). */
export type CredentialSource = (query: CredentialQuery, signal?: AbortSignal) => Promise<AwsCredentials>;
