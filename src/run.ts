/**
 * Runs the full command tree for `src/main.ts`: builds the app, parses the command line, runs the command,
 * and turns errors into a message on stderr and an exit code (0 ok, 1 failure, 2 usage error, 130
 * interrupted). It never exits the process itself.
 *
 * @module
 */

import type { App, GlobalOptions } from "./app.ts";
import { buildProgram } from "./cli.ts";
import { loadConfig, type LoadedConfig } from "./config/load.ts";
import { processPathEnv, resolvePaths } from "./config/paths.ts";
import { errorText, InterruptedError, WeepError } from "./errors.ts";
import { readTextIfExists } from "./platform/files.ts";
import type { LogFormat, LogLevel, Output } from "./platform/output.ts";
import { describePermissionError } from "./platform/denied.ts";
import { BUILD } from "./version.ts";

/** Runs weep with `args` and returns the exit code. Never exits the process itself. */
export async function run(args: string[], output: Output, signal: AbortSignal): Promise<number> {
  try {
    const env = (name: string) => Deno.env.get(name);
    const paths = resolvePaths(processPathEnv(), Deno.build.os);
    const configs = new Map<string, Promise<LoadedConfig>>();
    const app: App = {
      output,
      paths,
      env,
      now: () => new Date(),
      signal,
      loadConfig: (globals: GlobalOptions, flags: Record<string, unknown> = {}) => {
        const key = JSON.stringify([globals, flags]);
        let loaded = configs.get(key);
        if (!loaded) {
          loaded = loadConfig({
            embedded: BUILD.embeddedConfig || undefined,
            userFile: paths.weepConfigFile,
            configFile: globals.config,
            extraFile: globals.extraConfigFile,
            env,
            flags: globals.region ? { "aws.region": globals.region, ...flags } : flags,
            readText: readTextIfExists,
          }).then((result) => {
            const { config } = result;
            if (!globals.logLevel && config.log_level) output.level = config.log_level as LogLevel;
            if (!globals.logFormat && config.log_format) output.format = config.log_format as LogFormat;
            for (const warning of result.warnings) output.warn(warning);
            return result;
          });
          configs.set(key, loaded);
        }
        return loaded;
      },
    };
    const program = buildProgram(app);
    program.hook("preAction", (_root, action) => {
      const opts = action.optsWithGlobals() as { logLevel?: LogLevel; logFormat?: LogFormat };
      if (opts.logLevel) output.level = opts.logLevel;
      if (opts.logFormat) output.format = opts.logFormat;
    });
    if (args.length === 0) {
      output.stdout(program.helpInformation());
      return 0;
    }
    // `weep help NAME` for a command that does not exist: report it like `weep NAME` (with a suggestion),
    // not as commander's help-on-stderr.
    const known = (name: string) =>
      program.commands.some((c) => c.name() === name || c.aliases().includes(name));
    const helpFor = args[0] === "help" && args[1] !== undefined && !args[1].startsWith("-")
      ? args[1]
      : undefined;
    await program.parseAsync(helpFor !== undefined && !known(helpFor) ? [helpFor] : args, { from: "user" });
    return 0;
  } catch (error) {
    return report(error, output, signal);
  }
}

/** Commander's parse errors (checked by shape: the typed wrapper may load its own copy of commander). */
function isCommanderError(error: unknown): error is { code: string; exitCode: number; message: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === "string" &&
    (error as unknown as { code: string }).code.startsWith("commander.");
}

function report(error: unknown, output: Output, signal: AbortSignal): number {
  if (isCommanderError(error)) {
    if (error.exitCode === 0) return 0;
    output.error(error.message.replace(/^error: /, ""), ["Run 'weep --help' for usage"]);
    return 2;
  }
  if (signal.aborted || error instanceof InterruptedError) {
    output.error("Interrupted");
    return 130;
  }
  if (error instanceof WeepError) {
    output.error(error.message, error.hints);
    // --log-level debug shows the whole chain (e.g. fetch failed ← received fatal alert: UnknownCA).
    for (let cause = error.cause, depth = 0; cause !== undefined && depth < 5; depth++) {
      output.debug(`caused by: ${errorText(cause)}`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    return error.exitCode;
  }
  const denied = describePermissionError(error);
  if (denied) {
    output.error(denied.message, denied.hints);
    return 1;
  }
  output.error(errorText(error), ["This is a bug in weep; run again with --log-level debug and report it"]);
  if (error instanceof Error && error.stack) output.debug(error.stack);
  return 1;
}
