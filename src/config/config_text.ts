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
import { readCheckedFile, REPLACED } from "../platform/state_files.ts";
import { currentUid, octal } from "../platform/state_trust.ts";

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
  const read = await readCheckedFile(path, { follow: true, problem: (info) => configFileProblem(info) });
  if (read === undefined || "text" in read) return read?.text;
  if (read.problem === REPLACED) {
    throw new WeepError(`Config file "${path}" changed while weep read it: run again`);
  }
  const fix = read.problem.startsWith("can be changed")
    ? `Run: chmod go-w "${path}"`
    : read.problem.startsWith("belongs")
    ? "Copy it to a file of your own, or ask its owner to give it to you"
    : "Point weep at a regular file";
  throw new WeepError(
    `Refusing config file "${path}": it ${read.problem}, so someone else could send your ConsoleMe login elsewhere`,
    { hints: [fix] },
  );
}
