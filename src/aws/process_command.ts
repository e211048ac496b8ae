/**
 * What a `credential_process` command line runs, read the way botocore splits it (POSIX `shlex`, or the
 * CreateProcess rules on Windows), so weep can tell its own `weep credential_process ROLE` from other helpers.
 *
 * @module
 */

import { shlexSplit } from "../text/shlex.ts";

/** What a command line runs. */
export type ProcessCommand =
  /** `weep [options] credential_process ROLE [options]`; `args` is everything after the program. */
  | { kind: "weep"; role: string; args: string[] }
  /** weep, but not `credential_process` with a role. */
  | { kind: "weep-other"; args: string[] }
  /** Another program (its name only: arguments may hold secrets); `""` when the line cannot be split. */
  | { kind: "other"; program: string };

// weep's options that take a value, to find the role among the arguments.
const VALUE_OPTIONS = new Set([
  "-c",
  "--config",
  "--extra-config-file",
  "-A",
  "--assume-role",
  "-r",
  "--region",
  "--log-level",
  "--log-format",
]);

/** Reads a `credential_process` command line; `os` picks botocore's splitting rules. */
export function readProcessCommand(command: string, os?: typeof Deno.build.os): ProcessCommand {
  const words = (os === "windows" ? windowsSplit(command) : shlexSplit(command)) ?? [];
  const program = words[0] ?? "";
  const name = (program.split(/[\\/]/).pop() ?? "").toLowerCase().replace(/\.(exe|cmd|bat)$/, "");
  if (name !== "weep") return { kind: "other", program };
  const args = words.slice(1);
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("-")) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    positionals.push(arg);
  }
  const [subcommand, role] = positionals;
  return subcommand === "credential_process" && role
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

/** The configuration a weep command line reads: its `--config` and `--extra-config-file` values. */
export interface ConfigFlags {
  config: string | undefined;
  extraConfigFile: string | undefined;
}

/** The `--config`/`-c` and `--extra-config-file` values among weep's arguments `args` (the last one wins). */
export function configFlags(args: readonly string[]): ConfigFlags {
  const flags: ConfigFlags = { config: undefined, extraConfigFile: undefined };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") break;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const field = name === "-c" || name === "--config"
      ? "config"
      : name === "--extra-config-file"
      ? "extraConfigFile"
      : undefined;
    if (field !== undefined) flags[field] = eq > 0 ? arg.slice(eq + 1) : args[++i];
    else if (VALUE_OPTIONS.has(arg)) i++;
  }
  return flags;
}
