/**
 * Reading and replacing the user's AWS config and credentials files safely: bytes decoded strictly (a UTF-8
 * BOM kept), the edit planned on the current text under the file's lock, written atomically with the file's
 * mode kept (new files 0600, new directories 0700).
 *
 * @module
 */

import { awsFileLockPath } from "./credentials_file.ts";
import { decodeIniBytes } from "./ini_parse.ts";
import { writeFileAtomic } from "../platform/files.ts";
import { lockFile } from "../platform/locks.ts";

/** Reads an AWS file's text exactly (BOM kept, invalid UTF-8 refused); `undefined` when it does not exist. */
export async function readAwsFile(path: string): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  return decodeIniBytes(bytes, path);
}

/**
 * Edits `path` under its lock: `plan` gets the current text (`""` for a missing file) and returns the new
 * text and whether it changed. The file is replaced atomically only when it changed. Returns the plan.
 */
export async function editAwsFile<P extends { text: string; changed: boolean }>(
  path: string,
  locksDir: string,
  plan: (text: string) => P,
): Promise<P> {
  await using _lock = await lockFile(await awsFileLockPath(locksDir, path, Deno.build.os));
  const result = plan(await readAwsFile(path) ?? "");
  if (result.changed) await writeAwsFile(path, result.text);
  return result;
}

/**
 * Writes without touching the parent directory when it exists: the permission set grants a file named by
 * AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE (and its temporary file) but not the directory it is in, and
 * Deno checks write permission even for a `mkdir` of an existing directory. A missing directory is created 0700.
 */
async function writeAwsFile(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text, { mode: 0o600, createDirs: false });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await writeFileAtomic(path, text, { mode: 0o600 });
  }
}
