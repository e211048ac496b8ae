/**
 * What makes one of weep's state files trusted: a regular file (not a link, not a FIFO), owned by the current
 * user, not writable by others; and how its versioned JSON record is read. Free of imports and small: the
 * credential fast path reads its snapshot and cache entry through {@linkcode readStateFileSync} here, and loads
 * nothing else of the state-file code.
 *
 * @module
 */

/** State files are small; anything larger is not weep's. */
export const MAX_BYTES = 1 << 20;
let uid: number | null | undefined;

/** The current user's ID; `null` where the OS has none (Windows). */
export function currentUid(): number | null {
  if (uid === undefined) {
    try {
      uid = Deno.uid();
    } catch {
      uid = null;
    }
  }
  return uid;
}

/** `0644`: a mode for messages. */
export function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, "0");
}

/** Why a state file with `info` (from `lstat` or `fstat`) is not trusted, or `undefined`. Pure. */
export function fileProblem(info: Deno.FileInfo, owner: number | null = currentUid()): string | undefined {
  if (info.isSymlink) return "is a symbolic link";
  if (!info.isFile) return "is not a regular file";
  if (owner !== null && info.uid !== null && info.uid !== owner) {
    return `belongs to another user (uid ${info.uid})`;
  }
  if (info.mode !== null && (info.mode & 0o022) !== 0) {
    return `is writable by others (mode ${octal(info.mode)})`;
  }
  return undefined;
}

/** Whether two `stat` results are of the same file (device and inode; always true where they are unknown). */
export function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Reads a state file without following a link, with synchronous calls (the fast path): `lstat` must find a
 * trusted regular file (so a planted FIFO is never opened), and the file opened must be that same file, still
 * trusted. The text, or `undefined` for a missing or untrusted file.
 */
export function readStateFileSync(path: string): string | undefined {
  try {
    const before = Deno.lstatSync(path);
    if (fileProblem(before)) return undefined;
    using file = Deno.openSync(path, { read: true });
    const info = file.statSync();
    if (!sameFile(before, info) || fileProblem(info) || info.size > MAX_BYTES) return undefined;
    const bytes = new Uint8Array(info.size);
    let read = 0;
    while (read < bytes.length) {
      const n = file.readSync(bytes.subarray(read));
      if (n === null) break;
      read += n;
    }
    return new TextDecoder().decode(bytes.subarray(0, read));
  } catch {
    return undefined;
  }
}

/** The object `text` holds when it is a JSON object; anything else (or no text) is `undefined`, never an exception. */
export function parseRecord(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof data === "object" && data !== null && !Array.isArray(data)
    ? data as Record<string, unknown>
    : undefined;
}

/**
 * The object a state record's `text` holds when it is JSON with `v` equal to `version`; anything else
 * (truncated, foreign, another version) is `undefined`, never an exception.
 */
export function parseStateRecord(text: string, version: number): Record<string, unknown> | undefined {
  const record = parseRecord(text);
  return record?.v === version ? record : undefined;
}
