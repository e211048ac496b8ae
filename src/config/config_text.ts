/**
 * Reads weep's own configuration files (`~/.aws/weep/weep.yaml`, `--config`, `--extra-config-file`), trusted only
 * when they are the user's: such a file names the ConsoleMe that gets the user's login and the roles weep
 * assumes, so a file another user can change is refused, as ssh refuses such a config. Links are followed (a
 * config kept with the user's dotfiles works); the file they lead to must be a regular file owned by the user
 * (or root) that neither its group nor others can write.
 *
 * @module
 */

import { WeepError } from "../errors.ts";
import { currentUid, octal, sameFile } from "../platform/state_trust.ts";

/** Why a config file with `info` (from `stat`) is not trusted, or `undefined`. Pure. */
export function configFileProblem(
  info: Deno.FileInfo,
  owner: number | null = currentUid(),
): string | undefined {
  if (!info.isFile) return "is not a regular file";
  if (owner !== null && info.uid !== null && info.uid !== owner && info.uid !== 0) {
    return `belongs to another user (uid ${info.uid})`;
  }
  if (info.mode !== null && (info.mode & 0o022) !== 0) {
    return `can be changed by other users (mode ${octal(info.mode)})`;
  }
  return undefined;
}

/**
 * The text of config file `path`, or `undefined` when it does not exist. A file that is not trusted (see the
 * module) throws a {@linkcode WeepError} that says how to fix it; so does one that cannot be read.
 */
export async function readConfigText(path: string): Promise<string | undefined> {
  let before: Deno.FileInfo;
  try {
    before = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  // Checked before opening: opening a FIFO would wait for a writer.
  refuseUntrusted(path, before);
  using file = await Deno.open(path, { read: true });
  const info = await file.stat();
  if (!sameFile(before, info)) {
    throw new WeepError(`Config file "${path}" changed while weep read it: run again`);
  }
  refuseUntrusted(path, info);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const buffer = new Uint8Array(64 * 1024);
  for (let n = await file.read(buffer); n !== null; n = await file.read(buffer)) {
    chunks.push(buffer.slice(0, n));
    size += n;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}

function refuseUntrusted(path: string, info: Deno.FileInfo): void {
  const problem = configFileProblem(info);
  if (problem === undefined) return;
  const fix = problem.startsWith("can be changed")
    ? `Run: chmod go-w "${path}"`
    : problem.startsWith("belongs")
    ? "Copy it to a file of your own, or ask its owner to give it to you"
    : "Point weep at a regular file";
  throw new WeepError(
    `Refusing config file "${path}": it ${problem}, so someone else could send your ConsoleMe login elsewhere`,
    { hints: [fix] },
  );
}
