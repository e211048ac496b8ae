/**
 * What the `credential_process` line of a generated profile runs: the program (plain `weep`, or the installed
 * executable's absolute path) and the global flags every profile passes, so that the profile reads the same
 * configuration and role chain from any directory. Also which older weep profiles belong to a run: those whose
 * command reads the same configuration.
 *
 * @module
 */

import type { InstallRecord } from "../config/install_record.ts";
import { absolutePath } from "../platform/paths.ts";
import { UsageError } from "../errors.ts";
import { globalsFromArgs, readProcessCommand } from "./process_command.ts";
import { GLOBAL_FLAGS, type GlobalFlag, type GlobalOptions } from "../global_flags.ts";
import { validateRoleArn } from "./sts/sts.ts";
import { isSafeWord } from "../text/shlex.ts";
import { outsideText } from "../platform/outside_text.ts";

/** The global options that go into every generated profile (the flags marked `inProfile`). */
export type ProfileGlobals = Pick<
  GlobalOptions,
  "config" | "extraConfigFile" | "noIp" | "assumeRole" | "region"
>;

/** What generated profiles run: the program, and the global flags that go after `credential_process`. */
export interface ProfileCommand {
  /** `weep`, or the absolute path of the installed executable. */
  program: string;
  /** `--config`, `--extra-config-file`, `-n`, `-A`, `-r` as the user passed them (paths made absolute). */
  flags: string[];
  warnings: string[];
}

/** Facts about this process that decide the command. */
export interface CommandFacts {
  install?: InstallRecord | undefined;
  execPath: string;
  os: typeof Deno.build.os;
  /** The working directory, against which relative config paths are made absolute. */
  cwd: string;
}

/**
 * The command generated profiles run: `weep` when, at install time, the first `weep` on PATH was this
 * installation; otherwise the absolute path of the installed executable (as {@linkcode commandWord} writes it,
 * with a warning when it has spaces). The global flags the user passed follow `credential_process`, so every profile sees the same
 * configuration and role chain, and the cache fast path still recognises the command.
 */
export function profileCommand(facts: CommandFacts, globals: ProfileGlobals): ProfileCommand {
  const warnings: string[] = [];
  const exe = facts.install?.path ??
    (/(^|[\\/])weep(\.exe)?$/i.test(facts.execPath) ? facts.execPath : undefined);
  let program: string;
  if (exe === undefined) {
    program = "weep";
    warnings.push(
      "weep is not installed; the profiles run `weep` from PATH (install it with `deno task install`)",
    );
  } else if (facts.install?.firstOnPath) {
    program = "weep";
  } else {
    program = commandWord(exe, facts.os, "the path of weep");
    if (/\s/.test(exe)) {
      warnings.push(
        `The path of weep has spaces (${exe}); the AWS SDK for Go on Windows cannot run such a command: ` +
          "put weep in a directory on PATH, or pass --command",
      );
    }
  }
  const flags: string[] = [];
  const given: GlobalOptions = { ...globals, ...profileConfig(facts, globals) };
  for (const flag of GLOBAL_FLAGS as readonly GlobalFlag[]) {
    const value = (given as Record<string, unknown>)[flag.field];
    if (!flag.inProfile || value === undefined || value === false || value === "") continue;
    const name = flag.inProfile === "short" && flag.short ? flag.short : flag.long;
    if (value === true) flags.push(name);
    for (const word of typeof value === "string" ? [value] : Array.isArray(value) ? value as string[] : []) {
      flags.push(name, profileWord(flag, word, facts.os));
    }
  }
  return { program, flags, warnings };
}

/** A flag's value as the profile's command line holds it; refused when no shell or SDK would read it back. */
function profileWord(flag: GlobalFlag, word: string, os: typeof Deno.build.os): string {
  if (flag.field === "assumeRole") {
    validateRoleArn(word);
    if (!isSafeWord(word)) throw new UsageError(`Cannot write --assume-role "${word}" into a command line`);
  } else if (flag.field === "region" && !isSafeWord(word)) {
    throw new UsageError(`Invalid --region "${word}"`);
  }
  return commandWord(word, os, `the path of ${flag.long}`);
}

// What each client runs the line through: POSIX `sh -c` (the JavaScript and Go SDKs), botocore's shlex, and on
// Windows cmd.exe and botocore's own split. Inside double quotes, these stay special in at least one of them.
// deno-lint-ignore no-control-regex
const POSIX_UNQUOTABLE = /["$`\\\u0000-\u001f\u007f]/;
// deno-lint-ignore no-control-regex
const WINDOWS_UNQUOTABLE = /["%\u0000-\u001f\u007f]/;
/**
 * Words Windows reads unquoted: those {@linkcode isSafeWord} allows but `=` and `,` (cmd.exe ends a command's name
 * at them, as at a space), and backslashes (Windows paths).
 */
const WINDOWS_SAFE = /^[A-Za-z0-9_+.@:\\\/-]+$/;

/**
 * `path` as a word of a `credential_process` line that every client reads back as exactly `path`: as it is when
 * it holds only safe characters, otherwise in double quotes. A path with a character that some client would
 * still interpret inside double quotes (`"`, `$`, a backtick or a backslash for a POSIX shell, `%` for cmd.exe,
 * any control character) is refused: no one form of it works everywhere.
 */
export function commandWord(path: string, os: typeof Deno.build.os, what: string): string {
  const windows = os === "windows";
  if (windows ? WINDOWS_SAFE.test(path) : isSafeWord(path)) return path;
  const bad = (windows ? WINDOWS_UNQUOTABLE : POSIX_UNQUOTABLE).exec(path)?.[0];
  if (bad === undefined) return `"${path}"`;
  const shown = bad < " " || bad === "\u007f" ? "a control character" : `'${bad}'`;
  throw new UsageError(
    `Cannot write ${what} "${outsideText(path)}" into the profiles' command line: it holds ${shown}, ` +
      "which the shell AWS tools run the line with would read as code; use a path without it",
  );
}

/** The configuration files a generated profile names, as absolute paths (AWS tools run it from any directory). */
export function profileConfig(
  facts: Pick<CommandFacts, "cwd" | "os">,
  globals: Pick<ProfileGlobals, "config" | "extraConfigFile">,
): { config: string | undefined; extraConfigFile: string | undefined } {
  const absolute = (path: string | undefined) => path ? absolutePath(path, facts.cwd, facts.os) : undefined;
  return { config: absolute(globals.config), extraConfigFile: absolute(globals.extraConfigFile) };
}

/**
 * Whose a profile is that weep wrote before its marker named an origin. When its `credential_process` line runs
 * `weep credential_process ROLE` with the configuration `config` (the same `--config` and
 * `--extra-config-file`, or neither), it asks the same ConsoleMe as this run: its ROLE. With another
 * configuration, `null`: another ConsoleMe's. Any other line (or none): `undefined`, nobody can tell.
 */
export function legacyProfileRole(
  credentialProcess: string | undefined,
  config: { config: string | undefined; extraConfigFile: string | undefined },
  os: typeof Deno.build.os,
): string | null | undefined {
  if (credentialProcess === undefined) return undefined;
  const command = readProcessCommand(credentialProcess, os);
  if (command.kind !== "weep") return undefined;
  const flags = globalsFromArgs(command.args);
  return flags.config === config.config && flags.extraConfigFile === config.extraConfigFile
    ? command.role
    : null;
}
