/**
 * `--log-file FILE` (and the `log_file` key): log lines also go to a file, as Netflix weep wrote them. weep may
 * write only where its permission set allows (under `~/.aws`, for example `~/.aws/weep/weep.log`); anywhere
 * else, and for anything that is not a plain file, it warns once and logs to stderr only. Never a failure.
 *
 * @module
 */

import { dirname } from "./paths.ts";
import { errorText } from "../errors.ts";
import type { Output } from "./output.ts";

/** The log files this process could not open and has warned of. */
const refused = new Set<string>();

/**
 * Opens `path` for appending log lines (created 0600, its directory 0700), without following a symbolic link,
 * and makes `output` write every log line there too. With `home` (the config's `log_file`, which no shell
 * expanded), a leading `~/` is that directory. On failure, stderr only, and one warning per process (the
 * credential_process start and the full path after it each try the file).
 */
export function attachLogFile(output: Output, given: string, home?: string): void {
  const path = home === undefined ? given : given.replace(/^~(?=[\\/])/, home);
  try {
    output.logFile = openForAppend(path);
  } catch (error) {
    if (refused.has(path)) return;
    refused.add(path);
    const denied = error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied;
    const reason = denied && error instanceof Deno.errors.NotCapable
      ? "weep may write only under ~/.aws (try ~/.aws/weep/weep.log)"
      : errorText(error);
    output.warn(`Cannot write the log file "${path}": ${reason}; logging to stderr only`);
  }
}

function openForAppend(path: string): (text: string) => void {
  try {
    const info = Deno.lstatSync(path);
    if (!info.isFile) throw new Error(info.isSymlink ? "it is a symbolic link" : "it is not a regular file");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    Deno.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }
  const file = Deno.openSync(path, { append: true, create: true, mode: 0o600 });
  if (!file.statSync().isFile) {
    file.close();
    throw new Error("it is not a regular file");
  }
  const encoder = new TextEncoder();
  return (text) => {
    const bytes = encoder.encode(text);
    for (let written = 0; written < bytes.length;) written += file.writeSync(bytes.subarray(written));
  };
}
