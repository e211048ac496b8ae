/**
 * What `weep doctor` reports about weep's own directory: every state directory that is not this user's with
 * mode 0700, every state file weep would refuse or ignore (a link, not a regular file, another owner, writable
 * by others), and every file holding a secret that others may read. Reads only; fixes nothing.
 *
 * @module
 */

import { joinPath, type WeepPaths } from "./paths.ts";
import { currentUid, fileProblem, octal } from "./state_files.ts";

/** One problem found, and the command that fixes it. */
export interface StateProblem {
  path: string;
  /** `is a symbolic link`, `has mode 0777, not 0700`, ... */
  problem: string;
  fix: string;
}

/** What the scan found: the problems, and how many directories and files it looked at. */
export interface StateScan {
  problems: StateProblem[];
  checked: number;
}

const os = Deno.build.os;

/** Scans `~/.aws/weep`: its state directories and the files in them (temporary files aside). */
export async function scanStateFiles(
  paths: Pick<
    WeepPaths,
    "weepDir" | "sessionsDir" | "cacheDir" | "locksDir" | "legacySessionFile" | "installFile"
  >,
): Promise<StateScan> {
  const scan: StateScan = { problems: [], checked: 0 };
  const snapshots = joinPath(os, paths.cacheDir, "config");
  // ~/.aws/weep itself also holds the user's own weep.yaml (maybe a dotfile link): only weep's files are checked.
  await checkDir(paths.weepDir, scan);
  const dirs: [string, boolean][] = [
    [paths.sessionsDir, true],
    [paths.cacheDir, true],
    [snapshots, false],
    [paths.locksDir, false],
  ];
  for (const [dir, secret] of dirs) {
    if (!(await checkDir(dir, scan))) continue;
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory || entry.name.endsWith(".weep-tmp")) continue;
      await checkFile(joinPath(os, dir, entry.name), secret && entry.name.endsWith(".json"), scan);
    }
  }
  await checkFile(paths.legacySessionFile, true, scan);
  await checkFile(paths.installFile, false, scan);
  return scan;
}

/** Checks one state directory; true when its files can be listed. */
async function checkDir(dir: string, scan: StateScan): Promise<boolean> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch {
    return false;
  }
  scan.checked++;
  const uid = currentUid();
  if (!info.isDirectory) {
    scan.problems.push({ path: dir, problem: "is not a directory", fix: `rm "${dir}"` });
    return false;
  }
  if (uid !== null && info.uid !== null && info.uid !== uid) {
    scan.problems.push({
      path: dir,
      problem: `belongs to another user (uid ${info.uid})`,
      fix: `mv "${dir}" "${dir}.untrusted"`,
    });
    return false;
  }
  if (os !== "windows" && info.mode !== null && (info.mode & 0o077) !== 0) {
    scan.problems.push({
      path: dir,
      problem: `has mode ${octal(info.mode)}, not 0700`,
      fix: `chmod 700 "${dir}"`,
    });
  }
  return true;
}

/** Checks one state file (`secret`: it holds a login or credentials, so nobody else may read it either). */
async function checkFile(path: string, secret: boolean, scan: StateScan): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch {
    return;
  }
  scan.checked++;
  const problem = fileProblem(info);
  if (problem) {
    scan.problems.push({ path, problem: `${problem}: weep refuses it`, fix: `rm "${path}"` });
  } else if (secret && os !== "windows" && info.mode !== null && (info.mode & 0o044) !== 0) {
    scan.problems.push({
      path,
      problem: `holds secrets and others may read it (mode ${octal(info.mode)})`,
      fix: `chmod 600 "${path}"`,
    });
  }
}
