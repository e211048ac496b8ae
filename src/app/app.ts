/**
 * What every command gets: output, paths, environment, clock, an interrupt signal, the global options and
 * the configuration (loaded on first use). Built once per run by `createApp` (`src/cli/app_context.ts`).
 *
 * @module
 */

import type { LoadedConfig } from "../config/load.ts";
import { UsageError } from "../errors.ts";
import { GLOBAL_FLAGS, type GlobalFlag, type GlobalOptions } from "../global_flags.ts";
import type { WeepPaths } from "../platform/paths.ts";
import type { Output } from "../platform/output.ts";

/** The process-wide services commands use. */
export interface App {
  output: Output;
  paths: WeepPaths;
  /** Reads an environment variable weep is allowed to see. */
  env: (name: string) => string | undefined;
  /** The current time. */
  now: () => Date;
  /** Aborted when the user presses Ctrl-C. */
  signal: AbortSignal;
  /** Loads the configuration with the global options and per-command flag values (cached per call site). */
  loadConfig: (globals: GlobalOptions, flags?: Record<string, unknown>) => Promise<LoadedConfig>;
  /**
   * The configuration the files and `WEEP_*` variables that `globals` name make, before command-line flags:
   * what a config snapshot keeps. Its warnings are said by {@linkcode App.loadConfig}.
   */
  loadConfigLayers: (globals: GlobalOptions) => Promise<LoadedConfig>;
}

/** Reads weep's global options from a command's parsed options, by the table (`--no-ip` is `ip: false`). */
export function globalsOf(command: { optsWithGlobals(): Record<string, unknown> }): GlobalOptions {
  const opts = command.optsWithGlobals();
  const globals: Record<string, unknown> = {};
  for (const flag of GLOBAL_FLAGS as readonly GlobalFlag[]) {
    const negated = flag.long.startsWith("--no-");
    const name = flag.long.slice(negated ? 5 : 2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const value = opts[name];
    const given = flag.list
      ? Array.isArray(value)
      : flag.value === undefined
      ? typeof value === "boolean"
      : typeof value === "string";
    if (negated) globals[flag.field] = value === false;
    else if (given) globals[flag.field] = value;
  }
  return globals as GlobalOptions;
}

/** The role a command was given; a usage error naming the command when there is none. */
export function requireRole(role: string | undefined, command: string): string {
  if (!role) {
    const hints = ["Run `weep list` to see the roles you can use"];
    if (command !== "credential_process") {
      hints.push("On a terminal, weep lets you pick one (unless WEEP_DISABLE_INTERACTIVE_PROMPTS is set)");
    }
    throw new UsageError(`${command} needs a role: weep ${command} <role ARN or search string>`, { hints });
  }
  return role;
}
