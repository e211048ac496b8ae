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
import { configFlags, readProcessCommand } from "./process_command.ts";
import { validateRoleArn } from "./sts/sts.ts";
import { isSafeWord } from "../text/shlex.ts";

/** The global options that go into every generated profile. */
export interface ProfileGlobals {
  config?: string | undefined;
  extraConfigFile?: string | undefined;
  noIp?: boolean | undefined;
  assumeRole?: string[] | undefined;
  region?: string | undefined;
}

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
 * installation; otherwise the absolute path of the installed executable (quoted only when it has spaces, with a
 * warning). The global flags the user passed follow `credential_process`, so every profile sees the same
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
    program = quoted(exe);
    if (program !== exe) {
      warnings.push(
        `The path of weep has spaces (${exe}); the AWS SDK for Go on Windows cannot run such a command: ` +
          "put weep in a directory on PATH, or pass --command",
      );
    }
  }
  const flags: string[] = [];
  const config = profileConfig(facts, globals);
  if (config.config !== undefined) flags.push("--config", quoted(config.config));
  if (config.extraConfigFile !== undefined) flags.push("--extra-config-file", quoted(config.extraConfigFile));
  if (globals.noIp) flags.push("-n");
  for (const arn of globals.assumeRole ?? []) {
    validateRoleArn(arn);
    if (!isSafeWord(arn)) throw new UsageError(`Cannot write --assume-role "${arn}" into a command line`);
    flags.push("-A", arn);
  }
  if (globals.region) {
    if (!isSafeWord(globals.region)) throw new UsageError(`Invalid --region "${globals.region}"`);
    flags.push("-r", globals.region);
  }
  return { program, flags, warnings };
}

function quoted(word: string): string {
  return /\s/.test(word) ? `"${word}"` : word;
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
  const flags = configFlags(command.args);
  return flags.config === config.config && flags.extraConfigFile === config.extraConfigFile
    ? command.role
    : null;
}
