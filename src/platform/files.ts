/**
 * File I/O that never leaves a half-written file: write a temporary file in the same directory, fsync it,
 * rename it over the target. For the user's files (the AWS files, the install's files); weep's own state files
 * are written by `state_files.ts`, and cross-process locks are in `locks.ts`.
 *
 * @module
 */

import { dirname } from "./paths.ts";

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
  /** The mode the file gets whether or not it exists (to tighten one that holds secrets now). */
  forceMode?: number;
  /** Create missing parent directories with mode 0700 (default true). */
  createDirs?: boolean;
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
  const path = await linkTarget(named);
  if (options.createDirs ?? true) await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let mode = options.forceMode ?? options.mode ?? 0o600;
  try {
    const info = await Deno.stat(path);
    if (info.mode !== null && options.forceMode === undefined) mode = info.mode & 0o777;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const temp = tempPathFor(path);
  const file = await createExclusive(temp, mode);
  try {
    await writeAll(file, data);
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

/**
 * Writes all of `data` to `file`; text is encoded a MiB at a time, so that writing a large text does not hold
 * a second copy of it.
 */
async function writeAll(file: Deno.FsFile, data: string | Uint8Array): Promise<void> {
  const write = async (bytes: Uint8Array) => {
    for (let written = 0; written < bytes.length;) written += await file.write(bytes.subarray(written));
  };
  if (typeof data !== "string") return await write(data);
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(Math.min(1 << 20, data.length * 3 + 4));
  // encodeInto takes whole characters only: a surrogate pair is never split between two writes.
  for (let at = 0; at < data.length;) {
    const { read, written } = encoder.encodeInto(at === 0 ? data : data.slice(at), buffer);
    await write(buffer.subarray(0, written));
    at += read;
  }
}

/**
 * Creates `temp` for writing, never through something already there: the fixed temporary name may be left
 * over from a crash (the caller holds the lock, so it is removed) or be a link planted to redirect the write.
 */
async function createExclusive(temp: string, mode: number): Promise<Deno.FsFile> {
  try {
    return await Deno.open(temp, { write: true, createNew: true, mode });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    await Deno.remove(temp);
    return await Deno.open(temp, { write: true, createNew: true, mode });
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
