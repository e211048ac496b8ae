/**
 * What every command gets: output, paths, environment, clock, an interrupt signal, the global options and
 * the configuration (loaded on first use). Built once by `src/cli/main.ts`; tests build their own.
 *
 * @module
 */

import type { CredentialQuery } from "./aws/credentials.ts";
import type { LoadedConfig } from "./config/load.ts";
import { UsageError } from "./errors.ts";
import type { WeepPaths } from "./platform/paths.ts";
import type { Output } from "./platform/output.ts";

/** weep's global options (available on every command). */
export interface GlobalOptions {
  config?: string | undefined;
  extraConfigFile?: string | undefined;
  noIp?: boolean | undefined;
  assumeRole?: string[] | undefined;
  region?: string | undefined;
  logLevel?: string | undefined;
  logFormat?: string | undefined;
  logFile?: string | undefined;
}

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
}

/** Reads weep's global options from a command's parsed options (commander stores `--no-ip` as `ip: false`). */
export function globalsOf(command: { optsWithGlobals(): Record<string, unknown> }): GlobalOptions {
  const opts = command.optsWithGlobals();
  const text = (name: string) => typeof opts[name] === "string" ? opts[name] as string : undefined;
  return {
    config: text("config"),
    extraConfigFile: text("extraConfigFile"),
    noIp: opts.ip === false,
    assumeRole: Array.isArray(opts.assumeRole) ? opts.assumeRole as string[] : undefined,
    region: text("region"),
    logLevel: text("logLevel"),
    logFormat: text("logFormat"),
    logFile: text("logFile"),
  };
}

/** Collects a repeatable, comma-separable option (`-A a -A b` equals `-A a,b`). */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value.split(",").map((item) => item.trim()).filter((item) => item !== "");
  return [...(previous ?? []), ...items];
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

/** The credential query for `role` with the global `--assume-role` chain and `--no-ip`. */
export function credentialQuery(role: string, globals: GlobalOptions): CredentialQuery {
  return { role, assumeRoles: globals.assumeRole ?? [], noIp: globals.noIp ?? false };
}
