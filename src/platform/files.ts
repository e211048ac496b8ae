/**
 * File I/O that never leaves a half-written file: write a temporary file in the same directory, fsync it,
 * rename it over the target. (Cross-process locks are in `locks.ts`, which the start-up fast path never loads.)
 *
 * @module
 */

import { dirname } from "../config/paths.ts";

/**
 * The temporary file weep writes before renaming it over `path`. Its name is fixed so that the permission set
 * can grant it ahead of time for files outside the AWS directory; writers hold the file's lock.
 */
export function tempPathFor(path: string): string {
  return `${path}.weep-tmp`;
}

/** Options for {@linkcode writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Mode for a new file (default 0600). An existing file keeps its mode. */
  mode?: number;
  /** Create missing parent directories with mode 0700 (default true). */
  createDirs?: boolean;
  /**
   * A temporary name of its own for this write (default: the fixed {@linkcode tempPathFor} name, which the
   * permission set can grant ahead of time). For writers that hold no lock, inside weep's own directory.
   */
  uniqueTemp?: boolean;
}

/**
 * Replaces `path` with `data` atomically: readers see the old bytes or the new bytes, never a mix. The
 * existing file's mode is kept; a new file gets `options.mode` (0600). When `path` is a symbolic link (dotfile
 * managers keep `~/.aws/config` in a repository), the file it points to is replaced and the link stays. The
 * caller holds `path`'s lock.
 */
export async function writeFileAtomic(
  named: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const path = await linkTarget(named);
  if (options.createDirs ?? true) await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let mode = options.mode ?? 0o600;
  try {
    const info = await Deno.stat(path);
    if (info.mode !== null) mode = info.mode & 0o777;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const temp = options.uniqueTemp ? `${path}.${crypto.randomUUID()}.weep-tmp` : tempPathFor(path);
  const file = await Deno.open(temp, { write: true, create: true, truncate: true, mode });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    if (Deno.build.os !== "windows") await Deno.chmod(temp, mode);
    await file.sync();
  } catch (error) {
    file.close();
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
  file.close();
  try {
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/** The file a symbolic link at `path` points to, or `path` itself (also when it does not exist yet). */
async function linkTarget(path: string): Promise<string> {
  try {
    if (!(await Deno.lstat(path)).isSymlink) return path;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return path;
    throw error;
  }
  return await Deno.realPath(path);
}

/** Whether something (a file, directory or link) is at `path`. Other errors, such as a denial, are thrown. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Reads a text file, or returns `undefined` when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
