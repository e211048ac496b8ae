/**
 * Builds the {@linkcode App} every command gets: output, paths, environment, clock, the Ctrl-C signal, and the
 * configuration loader (layers loaded once per set of options; `log_level`/`log_format` and warnings applied).
 *
 * @module
 */

import type { App } from "../app/app.ts";
import type { GlobalOptions } from "../global_flags.ts";
import { type LoadedConfig, withFlags } from "../config/layers.ts";
import { fromStored } from "../config/stored.ts";
import { processPathEnv, resolvePaths } from "../platform/paths.ts";
import { readConfigText } from "../config/config_text.ts";
import { attachLogFile } from "../platform/log_file.ts";
import type { Output } from "../platform/output.ts";
import { onStateNotice } from "../platform/state_files.ts";
import { BUILD } from "../version.ts";

/** A configuration a config snapshot holds, and the global options whose inputs made it. */
export interface KnownConfig {
  inputs: Pick<GlobalOptions, "config" | "extraConfigFile">;
  /** The snapshot's `loaded` (see `src/config/stored.ts`); used only when this weep's format made it. */
  stored: unknown;
}

/** Which config inputs `globals` name: the options that decide which files are read. */
function inputsOf(globals: Pick<GlobalOptions, "config" | "extraConfigFile">): string {
  return JSON.stringify([globals.config ?? null, globals.extraConfigFile ?? null]);
}

/**
 * Creates the app for this process, whose environment is `env` (tests pass their own). With `known`, the
 * configuration of those inputs comes from a config snapshot instead of the files (no YAML parser). Throws when
 * the home directory is unknown.
 */
export function createApp(
  output: Output,
  signal: AbortSignal,
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
  known?: KnownConfig,
): App {
  const paths = resolvePaths(processPathEnv(env), Deno.build.os);
  // A tightened directory or an ignored state file is said on stderr, whichever command met it.
  onStateNotice((message) => output.warn(message));
  /** The configuration before command-line flags, per set of inputs: the layers are read once. */
  const bases = new Map<string, Promise<LoadedConfig>>();
  const base = (globals: GlobalOptions): Promise<LoadedConfig> => {
    const inputs = inputsOf(globals);
    let loaded = bases.get(inputs);
    if (!loaded) {
      loaded = (async () => {
        const stored = known && inputsOf(known.inputs) === inputs
          ? await fromStored(known.stored)
          : undefined;
        if (stored) return stored;
        // The YAML parser, loaded only here.
        const { loadConfig } = await import("../config/load.ts");
        return await loadConfig({
          embedded: BUILD.embeddedConfig || undefined,
          userFile: paths.weepConfigFile,
          configFile: globals.config,
          extraFile: globals.extraConfigFile,
          env,
          readText: readConfigText,
        });
      })();
      bases.set(inputs, loaded);
    }
    return loaded;
  };
  const configs = new Map<string, Promise<LoadedConfig>>();
  let logFileTried = false;
  const app: App = {
    output,
    paths,
    env,
    now: () => new Date(),
    signal,
    loadConfigLayers: base,
    loadConfig: (globals: GlobalOptions, flags: Record<string, unknown> = {}) => {
      const key = JSON.stringify([globals, flags]);
      let loaded = configs.get(key);
      if (!loaded) {
        loaded = base(globals).then((layers) => {
          const result = withFlags(
            layers,
            globals.region ? { "aws.region": globals.region, ...flags } : flags,
          );
          const { config } = result;
          if (!globals.logLevel && config.log_level) output.level = config.log_level;
          if (!globals.logFormat && config.log_format) output.format = config.log_format;
          if (!globals.logFile && config.log_file && !logFileTried) {
            logFileTried = true;
            attachLogFile(output, config.log_file, paths.home);
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
