/**
 * The credential cache on disk: one file per key in `~/.aws/weep/cache/` (mode 0600, written atomically),
 * and a per-key lock in `~/.aws/weep/locks/` so that many processes asking at once cause one fetch. An entry
 * that is not this user's own (a link, another owner, writable by others: see `state_files.ts`) is ignored
 * with a warning, and replaced by the next fetch.
 *
 * @module
 */

import { joinPath } from "../platform/paths.ts";
import { type FileLock, lockFile, type LockOptions } from "../platform/locks.ts";
import { clearFailure } from "../platform/shared_failure.ts";
import { readTrustedText, writeStateFile } from "../platform/state_files.ts";
import {
  type CacheDirs,
  type CacheEntry,
  type CacheKey,
  entryPath,
  keyId,
  parseEntry,
  sameKey,
  serializeEntry,
} from "./entry.ts";
import { type ConfigSnapshot, snapshotPath } from "./fast_path.ts";
import type { WeepPaths } from "../platform/paths.ts";

export type { CacheDirs };

const os = Deno.build.os;

/** The text of the entry file at `path`; one that is not this user's own is ignored with a warning. */
function readEntryFile(path: string): Promise<string | undefined> {
  return readTrustedText(path, "the cached credentials", "weep fetches new ones and replaces it");
}

/** Reads the entry for `key`; a missing, corrupt, foreign or mismatched file reads as no entry. */
export async function readEntry(dirs: CacheDirs, key: CacheKey): Promise<CacheEntry | undefined> {
  const entry = parseEntry(await readEntryFile(entryPath(dirs, await keyId(key))));
  return entry && sameKey(entry.key, key) ? entry : undefined;
}

/**
 * Stores an entry (atomically, 0600, replacing whatever is at its path). The caller normally holds the key's
 * lock, but not after going past a stuck holder: each write uses a temporary file of its own.
 */
export async function writeEntry(dirs: CacheDirs, entry: CacheEntry): Promise<void> {
  await writeStateFile(entryPath(dirs, await keyId(entry.key)), serializeEntry(entry));
}

/** Removes the entry for `key`, if any. */
export async function removeEntry(dirs: CacheDirs, key: CacheKey): Promise<void> {
  await Deno.remove(entryPath(dirs, await keyId(key))).catch(() => {});
}

/** The lock file of a key id (a failure shared between processes is kept next to it). */
export function lockPath(dirs: CacheDirs, id: string): string {
  return joinPath(os, dirs.locksDir, `cache-${id}.lock`);
}

/** Takes the key's lock, waiting for another process that holds it as `options` allow. */
export async function lockKey(dirs: CacheDirs, key: CacheKey, options: LockOptions = {}): Promise<FileLock> {
  return await lockFile(lockPath(dirs, await keyId(key)), options);
}

/** Every readable entry with its file id. Unreadable files are skipped. */
export async function listEntries(dirs: CacheDirs): Promise<{ id: string; entry: CacheEntry }[]> {
  const found: { id: string; entry: CacheEntry }[] = [];
  try {
    for await (const item of Deno.readDir(dirs.cacheDir)) {
      if (item.isDirectory || !item.name.endsWith(".json")) continue;
      const entry = parseEntry(await readEntryFile(joinPath(os, dirs.cacheDir, item.name)));
      if (entry) found.push({ id: item.name.slice(0, -5), entry });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found;
}

/** Forgets every failure kept for `cache.failure_window` (credentials and logins): the next call asks again. */
export async function clearFailures(dirs: CacheDirs): Promise<void> {
  try {
    for await (const item of Deno.readDir(dirs.locksDir)) {
      if (item.isFile && item.name.endsWith(".failure.json")) {
        await Deno.remove(joinPath(os, dirs.locksDir, item.name)).catch(() => {});
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Removes entry files by id, and any failure kept for them (so the next call asks ConsoleMe again). */
export async function removeIds(dirs: CacheDirs, ids: string[]): Promise<void> {
  for (const id of ids) {
    await Deno.remove(entryPath(dirs, id)).catch(() => {});
    await clearFailure(lockPath(dirs, id));
  }
}

/** Stores the snapshot for a fingerprint (best effort: a failure only costs the next call its fast path). */
export async function writeSnapshot(
  paths: Pick<WeepPaths, "cacheDir">,
  fingerprint: string,
  snapshot: ConfigSnapshot,
): Promise<void> {
  const path = snapshotPath(paths, fingerprint);
  const text = JSON.stringify(snapshot) + "\n";
  try {
    // One that is not this user's own is ignored, with a warning, and replaced.
    if (await readTrustedText(path, "the config snapshot") === text) return;
    // No lock is held here, and many processes may write the same snapshot: each uses its own temporary file.
    await writeStateFile(path, text);
  } catch {
    // another process is writing the same snapshot, or the disk refused: the full path still works
  }
}
