/**
 * Reading and replacing the user's AWS config and credentials files safely: bytes decoded strictly (a UTF-8
 * BOM kept), the edit planned on the current text under the file's lock, written atomically with the file's
 * mode kept (new files 0600, new directories 0700). The user's choices are respected: a file without its
 * owner's write bit is never replaced, and secrets are written only into a file of this user's that nobody
 * else may read (a looser one is tightened to 0600, and the caller told).
 *
 * @module
 */

import { decodeIniBytes } from "./ini_parse.ts";
import { WeepError } from "../../errors.ts";
import { writeFileAtomic } from "../../platform/files.ts";
import { lockFile } from "../../platform/locks.ts";
import { currentUid, octal } from "../../platform/state_files.ts";
import { sha256Hex } from "../../platform/hash.ts";
import { joinPath } from "../../platform/paths.ts";

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

/** How an AWS file is written. */
export interface AwsWriteOptions {
  /** The text holds secret keys (`weep file`): the file must be this user's, and is tightened to 0600. */
  secret?: boolean;
  /** Told when the file's mode is tightened. */
  say?: (message: string) => void;
}

/**
 * Checks that weep may replace the AWS file at `path` (through a link: the file it points to). Throws when the
 * file has no owner write bit (the user made it read-only), or, for `secret` text, when it belongs to another
 * user. Returns the file's mode when secrets are going into a file others may read (it must be tightened),
 * else `undefined`.
 */
export async function checkAwsFileWritable(path: string, secret = false): Promise<number | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  if (info.mode === null) return undefined;
  if ((info.mode & 0o200) === 0) {
    throw new WeepError(`"${path}" is read-only (mode ${octal(info.mode)}): weep does not replace it`, {
      hints: [
        "You (or a tool that manages it) made it read-only; weep respects that",
        `To let weep write it: chmod u+w "${path}"`,
      ],
    });
  }
  const owner = currentUid();
  if (secret && owner !== null && info.uid !== null && info.uid !== owner) {
    throw new WeepError(
      `"${path}" belongs to another user (uid ${info.uid}): weep does not write credentials into it`,
      { hints: ["Write them to a file of yours: weep file ROLE --output ~/.aws/credentials-mine"] },
    );
  }
  return secret && (info.mode & 0o077) !== 0 ? info.mode : undefined;
}

/**
 * Edits `path` under its lock: `plan` gets the current text (`""` for a missing file) and returns the new
 * text and whether it changed. The file is replaced atomically only when it changed, and only when
 * {@linkcode checkAwsFileWritable} allows it. Returns the plan.
 */
export async function editAwsFile<P extends { text: string; changed: boolean }>(
  path: string,
  locksDir: string,
  plan: (text: string) => P,
  options: AwsWriteOptions = {},
): Promise<P> {
  await using _lock = await lockFile(await awsFileLockPath(locksDir, path, Deno.build.os));
  const result = plan(await readAwsFile(path) ?? "");
  if (!result.changed) return result;
  const loose = await checkAwsFileWritable(path, options.secret);
  await writeAwsFile(path, result.text, loose === undefined ? undefined : 0o600);
  if (loose !== undefined) {
    options.say?.(
      `Tightened "${path}" from mode ${octal(loose)} to 0600: it holds secret keys, which only you may read`,
    );
  }
  return result;
}

/**
 * Writes without touching the parent directory when it exists: the permission set grants a file named by
 * AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE (and its temporary file) but not the directory it is in, and
 * Deno checks write permission even for a `mkdir` of an existing directory. A missing directory is created 0700.
 */
async function writeAwsFile(path: string, text: string, mode: number | undefined): Promise<void> {
  const forced = mode === undefined ? {} : { forceMode: mode };
  try {
    await writeFileAtomic(path, text, { mode: 0o600, createDirs: false, ...forced });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    await writeFileAtomic(path, text, { mode: 0o600, ...forced });
  }
}

/**
 * The lock file for editing the AWS file at `path`: one per file, in weep's locks directory, so every weep
 * command that edits the same file (`file`, `generate`) waits for the others.
 */
export async function awsFileLockPath(
  locksDir: string,
  path: string,
  os: typeof Deno.build.os,
): Promise<string> {
  return joinPath(os, locksDir, `aws-file-${await sha256Hex(path, 8)}.lock`);
}
