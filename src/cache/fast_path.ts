/**
 * The start-up fast path of `weep credential_process ROLE`: answer from the credential cache while loading as
 * little code as possible — no command framework, no YAML parser, no validation library, no network code.
 *
 * The configuration is not parsed here. Instead the raw inputs it comes from (embedded config, config files,
 * `WEEP_*` variables) are hashed, and a snapshot written by the full path maps that hash to the few values
 * the cache key needs. Any change to the inputs changes the hash, and the full path runs.
 *
 * @module
 */

import { credentialProcessJson, credentialQuery } from "../aws/credentials.ts";
import { joinPath, type WeepPaths } from "../platform/paths.ts";
import { envName, KEYS } from "../config/schema.ts";
import { readStateFileSync } from "../platform/state_trust.ts";
import { applyFlag, type GlobalOptions, readArgs } from "../global_flags.ts";
import { cacheKey, entryPath, isFresh, keyId, keyUser, parseEntry, sameKey } from "./entry.ts";
import { sha256Hex } from "../platform/hash.ts";
import type { FetchLimits, FetchWait } from "./fast_wait.ts";
import type { StoredConfig } from "../config/stored.ts";

/** `credential_process` arguments the fast path understands. */
export interface FastArgs {
  role: string;
  /** `--no-cache`: no cache lookup here; the miss path asks ConsoleMe. */
  noCache: boolean;
  globals: GlobalOptions;
}

/** The values of a configuration the cache key needs. */
export interface ConfigSnapshot {
  url: string;
  /** The ConsoleMe's origin (`consoleMeOrigin(url)`), for the usage log; snapshots of older releases lack it. */
  origin?: string;
  /** Who asks (`identityOf` in `entry.ts`): `user:<name>`, `session` or `mtls:<certs>`. */
  identity: string;
  minRemaining: number;
  /** How long a fetch may take, for waiting on the role's lock here; snapshots of older releases lack it. */
  fetch?: FetchLimits;
  /** The whole configuration (before command-line flags), for a miss to load no YAML; older ones lack it. */
  loaded?: StoredConfig;
}

/**
 * Parses `credential_process ROLE [--no-cache] [global flags]` as the command tree would; `undefined` for
 * anything else (help, `--generate`, typos, a bad `--log-level`, `--log-file` ...), which the command tree then
 * runs or reports.
 */
export function parseFastArgs(args: readonly string[]): FastArgs | undefined {
  if (args[0] !== "credential_process") return undefined;
  const parsed: FastArgs = { role: "", noCache: false, globals: {} };
  for (const token of readArgs(args.slice(1))) {
    if (token.kind === "operand") {
      if (parsed.role) return undefined;
      parsed.role = token.text;
    } else if (token.kind === "option") {
      if (token.text !== "--no-cache") return undefined;
      parsed.noCache = true;
    } else if (token.flag.field === "logFile" || !applyFlag(parsed.globals, token.flag, token.value)) {
      return undefined;
    }
  }
  return parsed.role ? parsed : undefined;
}

/** A hash of everything the configuration is made of, for these arguments. */
export async function configFingerprint(
  args: Pick<GlobalOptions, "config" | "extraConfigFile">,
  paths: WeepPaths,
  embedded: string,
  env: (name: string) => string | undefined,
): Promise<string> {
  const files = args.config !== undefined ? [args.config] : [paths.weepConfigFile];
  if (args.extraConfigFile !== undefined) files.push(args.extraConfigFile);
  const parts: unknown[] = [args.config === undefined ? embedded : "", files];
  for (const file of files) parts.push(inputText(file));
  for (const key of KEYS) parts.push(env(envName(key.path)) ?? null);
  return await sha256Hex(JSON.stringify(parts), 16);
}

/** Reads a file synchronously (cheaper than async here); any failure reads as "no file". */
function readSync(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * A config file as the fingerprint sees it: its text, `null` when there is none, and a mark of its own when it
 * cannot be read or is not a regular file, so that no snapshot stands in for the error the full path reports
 * then (`config/config_text.ts`).
 */
function inputText(path: string): string | null | { unreadable: true } {
  try {
    // Reading a FIFO would wait for a writer, maybe for ever: only a regular file is read.
    if (!Deno.statSync(path).isFile) return { unreadable: true };
    return Deno.readTextFileSync(path);
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? null : { unreadable: true };
  }
}

/** Where the config snapshot of `fingerprint` is kept. */
export function snapshotPath(paths: Pick<WeepPaths, "cacheDir">, fingerprint: string): string {
  return joinPath(Deno.build.os, paths.cacheDir, "config", `${fingerprint}.json`);
}

/**
 * A cache hit: the JSON to print, the role's usage record when one is due (see `src/usage/log.ts`), and the
 * snapshot the hit was found through.
 */
export interface FastHit {
  json: string;
  use?: { dir: string; origin: string; role: string };
  snapshot: ConfigSnapshot;
}

/**
 * What a miss of the fast path found out, for the full path: the fingerprint of the config inputs and the
 * snapshot stored for it (when there is one), and, when the snapshot allows it, `wait`: the key, to take its
 * lock before loading the full path (`fast_wait.ts`).
 */
export interface FastMiss {
  fingerprint?: string;
  snapshot?: ConfigSnapshot;
  wait?: FetchWait;
}

/**
 * Returns the `credential_process` JSON for `args` when the cache holds fresh credentials; else what the miss
 * found out ({@linkcode FastMiss}; `{}` when nothing); `undefined` for arguments {@linkcode parseFastArgs} does not
 * understand. `sessionUser` names the user of the latest login stored in a sessions directory for the ConsoleMe
 * at a URL (asked only when the configuration names no user). Never throws.
 */
export async function fastCredentialProcess(
  args: string[],
  paths: WeepPaths,
  embedded: string,
  env: (name: string) => string | undefined,
  now: Date,
  sessionUser: (sessionsDir: string, url: string) => Promise<string>,
): Promise<FastHit | FastMiss | undefined> {
  const parsed = parseFastArgs(args);
  if (!parsed) return undefined;
  const miss: FastMiss = {};
  try {
    const fingerprint = miss.fingerprint = await configFingerprint(parsed.globals, paths, embedded, env);
    // Snapshots and entries are read only when they are this user's own (state_files.ts).
    const text = readStateFileSync(snapshotPath(paths, fingerprint));
    if (text === undefined) return miss;
    const snapshot = miss.snapshot = JSON.parse(text) as ConfigSnapshot;
    // --no-cache: ConsoleMe is asked now (the full path takes the lock), with the snapshot's configuration.
    if (parsed.noCache) return miss;
    const user = await keyUser(snapshot.identity, () => sessionUser(paths.sessionsDir, snapshot.url));
    if (!user || !snapshot.url) return miss;
    const query = credentialQuery(parsed.role, parsed.globals);
    const key = cacheKey(snapshot.url, user, query);
    const entry = parseEntry(readStateFileSync(entryPath(paths, await keyId(key))));
    if (!entry || !sameKey(entry.key, key) || !isFresh(entry, now, snapshot.minRemaining)) {
      const { minRemaining, fetch: limits } = snapshot;
      const known = limits && [limits.baseMs, limits.perAssumedRoleMs, limits.failureWindowSeconds].every(
        (n) => typeof n === "number" && n >= 0 && n < Infinity,
      );
      if (known) miss.wait = { dirs: paths, key, query, minRemaining, limits };
      return miss;
    }
    const hit: FastHit = { json: credentialProcessJson(entry.credentials), snapshot };
    // The fetch of these credentials wrote the role's usage record: within the hour after it, a hit has
    // nothing to add (and costs nothing more than this comparison). After that, one small read says whether
    // the record is an hour old; only then does the caller load the usage log's writer.
    const { origin } = snapshot;
    if (origin && now.getTime() - entry.fetchedAt.getTime() >= USE_RECORD_INTERVAL_MS) {
      const use = { dir: paths.usageDir, origin, role: parsed.role };
      if (useRecordDue(readSync(await useRecordPath(use.dir, use.origin, use.role)), now)) hit.use = use;
    }
    return hit;
  } catch {
    return miss;
  }
}

// The hit path's half of the usage log, here so that a hit loads no module for it: where a role's record is,
// and whether it is due. `src/usage/log.ts` writes and reads the records.

/** A cache hit writes its role's usage record at most this often (see `src/usage/log.ts`). */
export const USE_RECORD_INTERVAL_MS = 60 * 60 * 1000;

/** The usage log's record of `role` of the ConsoleMe at `origin`: a hash, so neither appears in the name. */
export async function useRecordPath(dir: string, origin: string, role: string): Promise<string> {
  return joinPath(Deno.build.os, dir, `${await sha256Hex(JSON.stringify([origin, role]), 20)}.json`);
}

/** Whether the usage record `text` (`undefined` when missing) is due to be written again at `now`. */
export function useRecordDue(text: string | undefined, now: Date): boolean {
  // Neither JSON.parse nor a regular expression (tens of microseconds on first use): the one field is all
  // the hit path needs. A missing or broken record is due.
  const field = '"last":"';
  const start = text === undefined ? -1 : text.indexOf(field) + field.length;
  const end = start < field.length ? -1 : text!.indexOf('"', start);
  const last = end < 0 ? NaN : Date.parse(text!.slice(start, end));
  return !(Math.abs(now.getTime() - last) < USE_RECORD_INTERVAL_MS);
}
