/**
 * weep's own state files (login sessions, cached credentials, config snapshots, locks and the records kept
 * beside them) are trusted only when they are this user's: opened without following links, regular files,
 * owned by the current user and not writable by others. They are written 0600, through a temporary file of
 * their own and a rename (which replaces a link instead of following it), in directories of this user's with
 * mode 0700: a looser one is tightened, and weep says so. What makes a file trusted, and the synchronous reader
 * of the credential fast path, are in `state_trust.ts`.
 *
 * @module
 */

import { dirname } from "./paths.ts";
import { WeepError } from "../errors.ts";
import { currentUid, fileProblem, MAX_BYTES, octal, sameFile } from "./state_trust.ts";
import { processState } from "./process_state.ts";

export { currentUid, fileProblem, octal, readStateFileSync, sameFile } from "./state_trust.ts";

/** A state file's text, or why it is not trusted. `undefined` (from the readers) means there is no file. */
export type StateText = { text: string } | { problem: string };

const windows = Deno.build.os === "windows";
/** Where notices go, what was said, and the directories known private: once per process (`process_state.ts`). */
const notices = processState("stateNotices", () => ({
  sink: (_message: string): void => {},
  said: new Set<string>(),
  privateDirs: new Set<string>(),
}));
const { said, privateDirs } = notices;

/** Sends notices about state files (a tightened directory, an ignored file) to `sink`; each is said once. */
export function onStateNotice(sink: (message: string) => void): void {
  notices.sink = sink;
}

/** Says `message` through the sink set with {@linkcode onStateNotice}, once per process. */
export function stateNotice(message: string): void {
  if (said.has(message)) return;
  said.add(message);
  notices.sink(message);
}

/**
 * The text of the state file at `path` (`undefined` when it is missing or unreadable); one that is not this
 * user's own is ignored, with a notice naming `what` (`the cached credentials`) and `then`, what happens next.
 */
export async function readTrustedText(
  path: string,
  what: string,
  then = "weep writes a new one",
): Promise<string | undefined> {
  const read = await readStateFile(path).catch(() => undefined);
  if (read === undefined || "text" in read) return read?.text;
  stateNotice(`Ignoring ${what} in "${path}": the file ${read.problem}; ${then}`);
  return undefined;
}

/**
 * Reads a state file without following a link: `lstat` must find a trusted regular file, and the file opened
 * must be that same file (device and inode), still trusted. `undefined` when there is no file.
 */
export function readStateFile(path: string): Promise<StateText | undefined> {
  return readCheckedFile(path, {
    follow: false,
    problem: (info) => fileProblem(info) ?? (info.size > MAX_BYTES ? "is larger than 1 MiB" : undefined),
  });
}

/** How {@linkcode readCheckedFile} judges a file. */
export interface FileCheck {
  /** Follow a link to the file it names (`stat`); otherwise a link is judged itself (`lstat`). */
  follow: boolean;
  /** Why a file with `info` is not trusted, or `undefined`. */
  problem: (info: Deno.FileInfo) => string | undefined;
}

/** The problem {@linkcode readCheckedFile} gives when the file opened is not the one it checked. */
export const REPLACED = "was replaced while weep opened it";

/**
 * Reads the file at `path` when `check` trusts it: judged before it is opened (so a FIFO is never opened, which
 * would wait for a writer), and again once open, where it must be the same file (device and inode).
 * `undefined` when there is no file.
 */
export async function readCheckedFile(path: string, check: FileCheck): Promise<StateText | undefined> {
  let before: Deno.FileInfo;
  let file: Deno.FsFile;
  try {
    before = await (check.follow ? Deno.stat(path) : Deno.lstat(path));
    const problem = check.problem(before);
    if (problem) return { problem };
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    const info = await file.stat();
    if (!sameFile(before, info)) return { problem: REPLACED };
    const problem = check.problem(info);
    if (problem) return { problem };
    const bytes = new Uint8Array(info.size);
    let read = 0;
    while (read < bytes.length) {
      const n = await file.read(bytes.subarray(read));
      if (n === null) break;
      read += n;
    }
    return { text: new TextDecoder().decode(bytes.subarray(0, read)) };
  } finally {
    file.close();
  }
}

/**
 * Writes a state file: mode 0600, in a private directory (see {@linkcode ensurePrivateDir}), through a
 * temporary file of its own (created exclusively, so never through a planted link) renamed over `path`.
 * `sync: false` skips the fsync, for records that are only hints to other processes.
 */
export async function writeStateFile(
  path: string,
  text: string,
  options: { sync?: boolean } = {},
): Promise<void> {
  await ensurePrivateDir(dirname(path));
  const temp = `${path}.${crypto.randomUUID()}.weep-tmp`;
  const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    if (!windows) await Deno.chmod(temp, 0o600);
    if (options.sync ?? true) await file.sync();
    file.close();
    await Deno.rename(temp, path);
  } catch (error) {
    try {
      file.close();
    } catch {
      // Closed already.
    }
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/**
 * Opens the state file at `path` for reading and writing (created 0600 if missing, kept 0600) without following
 * a link: a file there that is not this user's own is replaced, with a notice naming `what` (`lock file`); the
 * file opened must be the one at the path. For files opened in place, such as locks.
 */
export async function openStateFile(path: string, what: string): Promise<Deno.FsFile> {
  for (let attempt = 0;; attempt++) {
    const found = await Deno.lstat(path).catch(() => undefined);
    const problem = found && fileProblem(found);
    if (problem) {
      stateNotice(`Replacing the ${what} "${path}": it ${problem}`);
      await Deno.remove(path);
    }
    const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
    const [opened, atPath] = [await file.stat(), await Deno.lstat(path).catch(() => undefined)];
    if (atPath && sameFile(opened, atPath) && !fileProblem(opened)) {
      // Like every state file, 0600: an older one may have been made with the umask's mode.
      if (opened.mode !== null && (opened.mode & 0o077) !== 0) await Deno.chmod(path, 0o600);
      return file;
    }
    file.close();
    if (attempt > 0) {
      throw new WeepError(`Cannot open the ${what} "${path}" safely: something keeps replacing it`, {
        hints: ["Check who else can write to ~/.aws/weep (weep doctor), then try again"],
      });
    }
  }
}

/**
 * The directories from `dir` up to weep's own (`…/.aws/weep`), when `dir` is inside it; else `dir` alone.
 * Deepest first.
 */
export function stateDirChain(dir: string): string[] {
  const chain = [dir];
  for (let current = dir; chain.length <= 4; current = dirname(current)) {
    if (/[\\/]\.aws[\\/]weep$/.test(current)) return chain;
    const parent = dirname(current);
    if (parent === current) break;
    chain.push(parent);
  }
  return [dir];
}

/**
 * Makes sure `dir` and the directories above it up to `~/.aws/weep` are this user's with mode 0700: missing
 * ones are created 0700, looser ones tightened (with a notice). One that is not a directory, or belongs to
 * another user, is an error with a fix. Each directory is checked once per process.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  for (const each of stateDirChain(dir).reverse()) {
    if (privateDirs.has(each)) continue;
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(each);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      await Deno.mkdir(each, { recursive: true, mode: 0o700 });
      privateDirs.add(each);
      continue;
    }
    const owner = currentUid();
    if (!info.isDirectory || (owner !== null && info.uid !== null && info.uid !== owner)) {
      const what = info.isDirectory ? `belongs to another user (uid ${info.uid})` : "is not a directory";
      throw new WeepError(
        `"${each}" ${what}: weep keeps logins and credentials only in a directory of yours`,
        {
          hints: [`Fix: move it aside (mv "${each}" "${each}.untrusted"), then run weep again`],
        },
      );
    }
    if (!windows && info.mode !== null && (info.mode & 0o077) !== 0) {
      await Deno.chmod(each, 0o700);
      stateNotice(
        `Tightened "${each}" from mode ${octal(info.mode)} to 0700: it holds weep's logins and credentials`,
      );
    }
    privateDirs.add(each);
  }
}
