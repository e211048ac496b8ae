/**
 * The credential cache's pure core: what identifies an entry (the one place that writes and reads the identity
 * of the caller in it), how it is stored, and when it is fresh enough to hand to an SDK.
 *
 * @module
 */

import { type AwsCredentials, type CredentialQuery, formatExpiration } from "../aws/credentials.ts";
import type { WeepConfig } from "../config/schema.ts";
import { joinPath } from "../platform/paths.ts";
import { sha256Hex } from "../platform/hash.ts";
import { parseStateRecord } from "../platform/state_trust.ts";

/** Where the cache lives. */
export interface CacheDirs {
  cacheDir: string;
  locksDir: string;
}

/** The entry file of a key id. */
export function entryPath(dirs: CacheDirs, id: string): string {
  return joinPath(Deno.build.os, dirs.cacheDir, `${id}.json`);
}

/** What one cache entry is for. Credentials are never shared across any of these. */
export interface CacheKey {
  /** ConsoleMe base URL. */
  url: string;
  /** Who asked: the challenge user, or `mtls:<certificates>` (see {@linkcode keyUser}). */
  user: string;
  /** The role as given (ARN or search string). */
  role: string;
  /** The `--assume-role` chain, in order. */
  assume: string[];
  /** `--no-ip`. */
  noIp: boolean;
}

/** The cache key of `query` asked of the ConsoleMe at `url` by `user`. */
export function cacheKey(url: string, user: string, query: CredentialQuery): CacheKey {
  return { url, user, role: query.role, assume: [...query.assumeRoles], noIp: query.noIp };
}

/**
 * Who the configuration says asks ConsoleMe, as a config snapshot stores it: `user:<name>` (challenge login as
 * the configured user), `session` (challenge login as whoever this ConsoleMe's latest stored login is), or
 * `mtls:<certificates>` (the configured certificate names).
 */
export function identityOf(
  config: Pick<WeepConfig, "authentication_method" | "challenge_settings" | "mtls_settings">,
): string {
  if (config.authentication_method === "mtls") {
    return `mtls:${[...config.mtls_settings.certs, config.mtls_settings.cert].filter(Boolean).join(",")}`;
  }
  return config.challenge_settings.user ? `user:${config.challenge_settings.user}` : "session";
}

/**
 * The `user` of the cache keys of `identity` (from {@linkcode identityOf}): the configured user, the stored
 * login's (`sessionUser`, asked only for `session`; `""` when there is none), or the mTLS identity as it is.
 */
export async function keyUser(
  identity: string,
  sessionUser: () => Promise<string | undefined>,
): Promise<string> {
  if (identity.startsWith("user:")) return identity.slice("user:".length);
  if (identity === "session") return (await sessionUser()) ?? "";
  return identity;
}

/** A stored entry. */
export interface CacheEntry {
  key: CacheKey;
  credentials: AwsCredentials;
  /** When weep fetched the credentials. */
  fetchedAt: Date;
}

const VERSION = 1;

/** The entry's file name: a SHA-256 of the key (hex), so roles and URLs never appear in file names. */
export async function keyId(key: CacheKey): Promise<string> {
  const text = JSON.stringify([key.url, key.user, key.role, key.assume, key.noIp]);
  return await sha256Hex(text, 20);
}

/** Serialises an entry as one line of JSON. */
export function serializeEntry(entry: CacheEntry): string {
  const c = entry.credentials;
  return JSON.stringify({
    v: VERSION,
    key: entry.key,
    fetchedAt: formatExpiration(entry.fetchedAt),
    roleArn: c.roleArn,
    credentials: {
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      SessionToken: c.sessionToken,
      Expiration: formatExpiration(c.expiration),
    },
  }) + "\n";
}

/** Parses an entry; a truncated, corrupt or foreign file is `undefined`, never an exception. */
export function parseEntry(text: string | undefined): CacheEntry | undefined {
  if (text === undefined) return undefined;
  const data = parseStateRecord(text, VERSION);
  if (data === undefined) return undefined;
  const key = data.key as Record<string, unknown> | undefined;
  const c = data.credentials as Record<string, unknown> | undefined;
  const strings = (o: Record<string, unknown> | undefined, names: string[]) =>
    o !== undefined && names.every((n) => typeof o[n] === "string" && o[n] !== "");
  if (!strings(key, ["url", "role"]) || typeof key!.user !== "string" || !Array.isArray(key!.assume)) {
    return undefined;
  }
  if (!strings(c, ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"])) return undefined;
  const expiration = new Date(c!.Expiration as string);
  const fetchedAt = new Date(typeof data.fetchedAt === "string" ? data.fetchedAt : NaN);
  if (isNaN(expiration.getTime()) || isNaN(fetchedAt.getTime())) return undefined;
  const credentials: AwsCredentials = {
    accessKeyId: c!.AccessKeyId as string,
    secretAccessKey: c!.SecretAccessKey as string,
    sessionToken: c!.SessionToken as string,
    expiration,
  };
  if (typeof data.roleArn === "string") credentials.roleArn = data.roleArn;
  return {
    key: {
      url: key!.url as string,
      user: key!.user as string,
      role: key!.role as string,
      assume: (key!.assume as unknown[]).map(String),
      noIp: key!.noIp === true,
    },
    credentials,
    fetchedAt,
  };
}

/** Whether two keys are the same request (guards against foreign or colliding files). */
export function sameKey(a: CacheKey, b: CacheKey): boolean {
  return a.url === b.url && a.user === b.user && a.role === b.role && a.noIp === b.noIp &&
    a.assume.length === b.assume.length && a.assume.every((arn, i) => arn === b.assume[i]);
}

/**
 * Whether an entry may be served at `now`: more than `minRemainingSeconds` must remain, so SDKs that refresh
 * under 15 minutes (boto3) never get credentials they would re-run weep for on every call. Credentials that
 * never lived that long are served as they are (until their last minute) instead of being refetched in a loop.
 */
export function isFresh(entry: CacheEntry, now: Date, minRemainingSeconds: number): boolean {
  const remaining = (entry.credentials.expiration.getTime() - now.getTime()) / 1000;
  const lifetime = (entry.credentials.expiration.getTime() - entry.fetchedAt.getTime()) / 1000;
  return lifetime > minRemainingSeconds
    ? remaining > minRemainingSeconds
    : remaining > Math.min(60, lifetime / 2);
}
