/**
 * What a `credential_process` command line runs, read the way botocore splits it (POSIX `shlex`, or the
 * CreateProcess rules on Windows), so weep can tell its own `weep credential_process ROLE` from other helpers.
 *
 * @module
 */

import { applyFlag, type GlobalOptions, readArgs } from "../global_flags.ts";
import { shlexSplit } from "../text/shlex.ts";

/** What a command line runs. */
export type ProcessCommand =
  /** `weep [options] credential_process ROLE [options]`; `args` is everything after the program. */
  | { kind: "weep"; role: string; args: string[] }
  /** weep, but not `credential_process` with a role. */
  | { kind: "weep-other"; args: string[] }
  /** Another program (its name only: arguments may hold secrets); `""` when the line cannot be split. */
  | { kind: "other"; program: string };

/** Reads a `credential_process` command line; `os` picks botocore's splitting rules. */
export function readProcessCommand(command: string, os?: typeof Deno.build.os): ProcessCommand {
  const words = (os === "windows" ? windowsSplit(command) : shlexSplit(command)) ?? [];
  const program = words[0] ?? "";
  const name = (program.split(/[\\/]/).pop() ?? "").toLowerCase().replace(/\.(exe|cmd|bat)$/, "");
  if (name !== "weep") return { kind: "other", program };
  const args = words.slice(1);
  const tokens = readArgs(args);
  // A flag without its value is a line weep refuses to run.
  const runs = tokens.every((token) =>
    token.kind !== "flag" || token.value !== undefined || !token.flag.value
  );
  const [subcommand, role] = tokens.flatMap((token) => token.kind === "operand" ? [token.text] : []);
  return runs && subcommand === "credential_process" && role
    ? { kind: "weep", role, args }
    : { kind: "weep-other", args };
}

/**
 * Splits a command line like botocore's `_windows_shell_split` (only `"` quotes; backslashes escape quotes
 * only). Returns `undefined` for an open quote, where botocore raises.
 */
export function windowsSplit(text: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quoted = false;
  let backslashes = 0;
  for (const char of text) {
    if (char === "\\") {
      backslashes++;
      continue;
    }
    if (char === '"') {
      word += "\\".repeat(Math.floor(backslashes / 2));
      if (backslashes % 2 === 1) word += '"';
      else quoted = !quoted;
      backslashes = 0;
      inWord = true;
      continue;
    }
    word += "\\".repeat(backslashes);
    backslashes = 0;
    if ((char === " " || char === "\t") && !quoted) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quoted) return undefined;
  word += "\\".repeat(backslashes);
  if (inWord || backslashes > 0) words.push(word);
  return words;
}

/** The global options weep reads from `args`, its arguments on a command line, as the command tree would. */
export function globalsFromArgs(args: readonly string[]): GlobalOptions {
  const globals: GlobalOptions = {};
  for (const token of readArgs(args)) {
    if (token.kind === "flag") applyFlag(globals, token.flag, token.value);
  }
  return globals;
}
