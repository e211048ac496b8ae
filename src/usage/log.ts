/**
 * The usage log: which roles this user fetched credentials for through weep, from which ConsoleMe, and when;
 * what `weep generate --used` and `weep list --used` read. One small JSON file per ConsoleMe and role in
 * `~/.aws/weep/usage/` (the file name is a hash, so neither appears in it):
 *
 * ```json
 * {"v":1,"consoleme":"https://consoleme.example.com","role":"arn:aws:iam::123456789012:role/app","first":"2026-11-02T09:14:03Z","last":"2026-11-28T17:40:12Z","count":37}
 * ```
 *
 * `role` is the role as it was asked for (an ARN, or a search string ConsoleMe resolved). Never secrets.
 *
 * When a record is written: by every use that is not a credential_process cache hit (credential_process after
 * a miss, export, file, console, each fetch of serve). A cache hit adds nothing while its credentials were
 * fetched less than an hour ago (that fetch wrote the record); after that it reads the record and rewrites it
 * when its `last` is an hour old. So `last` is at most an hour behind the real last use, and `count` (the
 * number of writes) measures use without counting every call. The hit path's half (where a record is, whether
 * it is due) is in `src/cache/fast_path.ts`, so that a hit loads no module for it; `src/cli/main.ts` loads this
 * module's writer on the hits that are due.
 *
 * A record is rewritten whole through a temporary file renamed over it, so readers see the old record or the
 * new one; no lock is held, so two processes writing at once may count once. No fsync: a record lost in a
 * crash costs one count, never a secret or a credential.
 *
 * @module
 */

import { USE_RECORD_INTERVAL_MS, useRecordPath } from "../cache/fast_path.ts";
import { joinPath } from "../platform/paths.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";
import { parseStateRecord } from "../platform/state_trust.ts";

/** A role's uses from one ConsoleMe. */
export interface UsageRecord {
  /** The ConsoleMe's origin (see `consoleMeOrigin`). */
  origin: string;
  /** The role as asked for: an ARN, or a search string. */
  role: string;
  /** First recorded use. */
  first: Date;
  /** Last recorded use (at most an hour before the real last use). */
  last: Date;
  /** How many times a use was written down (cache hits at most once an hour). */
  count: number;
}

/** Bigger files are not records weep wrote: they are never read. */
const MAX_RECORD_BYTES = 4096;
const VERSION = 1;
const os = Deno.build.os;

/** The file text of a record: one line of JSON. */
export function serializeUsage(record: UsageRecord): string {
  const time = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");
  return JSON.stringify({
    v: VERSION,
    consoleme: record.origin,
    role: record.role,
    first: time(record.first),
    last: time(record.last),
    count: record.count,
  }) + "\n";
}

/** Parses a record; anything else (truncated, foreign, another version) is `undefined`, never an exception. */
export function parseUsage(text: string | undefined): UsageRecord | undefined {
  if (text === undefined || text.length > MAX_RECORD_BYTES) return undefined;
  const data = parseStateRecord(text, VERSION);
  if (data === undefined) return undefined;
  const { consoleme, role, count } = data;
  const first = new Date(typeof data.first === "string" ? data.first : NaN);
  const last = new Date(typeof data.last === "string" ? data.last : NaN);
  if (typeof consoleme !== "string" || !consoleme || typeof role !== "string" || !role) return undefined;
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1) return undefined;
  if (isNaN(first.getTime()) || isNaN(last.getTime())) return undefined;
  return { origin: consoleme, role, first, last, count };
}

/**
 * Records that `role` of the ConsoleMe at `url` (a URL or its origin) was used at `now`: `last` becomes `now`
 * and `count` grows by one. Never throws and never fails the caller: a log that cannot be written only costs
 * `--used` a use.
 */
export async function recordUse(dir: string, url: string, role: string, now: Date): Promise<void> {
  try {
    const origin = consoleMeOrigin(url);
    const path = await useRecordPath(dir, origin, role);
    // A link or directory in its place is not read, and is replaced: the rename below swaps the name itself.
    const old = parseUsage(readSmall(path, lstat(path)));
    const previous = old?.origin === origin && old.role === role ? old : undefined;
    const text = serializeUsage({
      origin,
      role,
      first: previous?.first ?? now,
      last: now,
      count: (previous?.count ?? 0) + 1,
    });
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A name of its own: no lock is held, and `createNew` never opens what another process put there.
    const temp = `${path}.${crypto.randomUUID()}.weep-tmp`;
    try {
      Deno.writeTextFileSync(temp, text, { createNew: true, mode: 0o600 });
      Deno.renameSync(temp, path);
    } catch (error) {
      try {
        Deno.removeSync(temp);
      } catch {
        // never created
      }
      throw error;
    }
  } catch {
    // the usage log is a convenience: credentials matter more
  }
}

/**
 * Every record in `dir` (files weep did not write, or cannot read, are skipped), after removing temporary
 * files a killed writer left behind more than an hour before `now`.
 */
export async function listUsage(dir: string, now: Date): Promise<UsageRecord[]> {
  const records: UsageRecord[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return records;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile) continue;
    const path = joinPath(os, dir, entry.name);
    const info = lstat(path);
    if (entry.name.endsWith(".weep-tmp")) {
      const age = now.getTime() - (info?.mtime?.getTime() ?? now.getTime());
      // Older than a cache hit's record interval: a killed writer's.
      if (age > USE_RECORD_INTERVAL_MS) await Deno.remove(path).catch(() => {});
    } else if (entry.name.endsWith(".json")) {
      const record = parseUsage(readSmall(path, info));
      if (record) records.push(record);
    }
  }
  return records;
}

function lstat(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The text of a small regular file (`info` is its `lstat`); `undefined` for anything else. */
function readSmall(path: string, info: Deno.FileInfo | undefined): string | undefined {
  if (!info?.isFile || info.size > MAX_RECORD_BYTES) return undefined;
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}
