/**
 * Builds the {@linkcode App} every command gets: output, paths, environment, clock, the Ctrl-C signal, and the
 * configuration loader (layers loaded once per set of options; `log_level`/`log_format` and warnings applied).
 *
 * @module
 */

import type { App } from "../app/app.ts";
import type { GlobalOptions } from "../global_flags.ts";
import { loadConfig, type LoadedConfig } from "../config/load.ts";
import { processPathEnv, resolvePaths } from "../platform/paths.ts";
import { readTextIfExists } from "../platform/files.ts";
import { attachLogFile } from "../platform/log_file.ts";
import type { Output } from "../platform/output.ts";
import { onStateNotice } from "../platform/state_files.ts";
import { BUILD } from "../version.ts";

/**
 * Creates the app for this process, whose environment is `env` (tests pass their own). Throws when the home
 * directory is unknown.
 */
export function createApp(
  output: Output,
  signal: AbortSignal,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): App {
  const paths = resolvePaths(processPathEnv(env), Deno.build.os);
  // A tightened directory or an ignored state file is said on stderr, whichever command met it.
  onStateNotice((message) => output.warn(message));
  const configs = new Map<string, Promise<LoadedConfig>>();
  let logFileTried = false;
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
          if (!globals.logLevel && config.log_level) output.level = config.log_level;
          if (!globals.logFormat && config.log_format) output.format = config.log_format;
          if (!globals.logFile && config.log_file && !logFileTried) {
            logFileTried = true;
            attachLogFile(output, config.log_file.replace(/^~(?=[\\/])/, paths.home));
          }
          for (const warning of result.warnings) output.warn(warning);
          return result;
        });
        configs.set(key, loaded);
      }
      return loaded;
    },
  };
  return app;
}
