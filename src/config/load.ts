/**
 * Loads weep's configuration in layers, later wins: embedded (baked in at build time) → the user's
 * `~/.aws/weep/weep.yaml` (or `--config FILE` instead) → `--extra-config-file` → `WEEP_<KEY>` environment
 * variables → command-line flags. Each layer is validated on its own so errors name their source.
 *
 * @module
 */

import { load as parseYaml } from "js-yaml";
import { WeepError } from "../errors.ts";
import {
  type ConfigLayer,
  describeValue,
  envLayer,
  flagLayer,
  isPlainObject,
  type LoadedConfig,
  mergeLayers,
  validateValue,
} from "./layers.ts";
import { ALIASES, keySpec, setPath } from "./schema.ts";

export type { ConfigLayer, LoadedConfig } from "./layers.ts";
export { mergeLayers, validateValue } from "./layers.ts";

/** What {@linkcode loadConfig} needs; tests pass fakes. */
export interface LoadConfigInput {
  /** YAML text baked in at build time, if any. */
  embedded?: string | undefined;
  /** `~/.aws/weep/weep.yaml`. */
  userFile: string;
  /** `--config FILE`: replaces the user file (and the embedded layer, as in weep). */
  configFile?: string | undefined;
  /** `--extra-config-file FILE`: merged on top of the file layers; must exist. */
  extraFile?: string | undefined;
  /** Environment lookup for `WEEP_<KEY>`. */
  env: (name: string) => string | undefined;
  /** Values from command-line flags, by key path. */
  flags?: Record<string, unknown>;
  /** Reads a file; `undefined` when it does not exist. */
  readText: (path: string) => Promise<string | undefined>;
}

/** Builds the effective configuration from all layers. */
export async function loadConfig(input: LoadConfigInput): Promise<LoadedConfig> {
  const warnings: string[] = [];
  const files: string[] = [];
  const layers: ConfigLayer[] = [];
  const fileLayer = async (path: string, required: boolean, flag: string) => {
    const text = await input.readText(path);
    if (text === undefined) {
      if (!required) return;
      throw new WeepError(`Cannot read config file "${path}": it does not exist`, {
        hints: [`Check the path given to ${flag}`],
      });
    }
    files.push(path);
    layers.push({ source: path, values: parseLayer(text, path, warnings) });
  };

  if (input.configFile !== undefined) {
    await fileLayer(input.configFile, true, "--config");
  } else {
    if (input.embedded) {
      layers.push({ source: "embedded", values: parseLayer(input.embedded, "embedded", warnings) });
    }
    await fileLayer(input.userFile, false, "");
  }
  if (input.extraFile !== undefined) await fileLayer(input.extraFile, true, "--extra-config-file");
  layers.push({ source: "environment", values: envLayer(input.env) });
  if (input.flags) layers.push({ source: "flags", values: flagLayer(input.flags) });
  return { ...mergeLayers(layers), warnings, files };
}

/** Parses and validates one YAML layer; unknown keys become warnings, wrong values errors naming `source`. */
export function parseLayer(text: string, source: string, warnings: string[]): Record<string, unknown> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new WeepError(`Cannot parse config file "${source}": ${reason}`, {
      hints: ["Fix the YAML syntax at the position shown"],
    });
  }
  if (data === undefined || data === null) return {};
  if (!isPlainObject(data)) {
    throw new WeepError(
      `Invalid config file "${source}": expected a map of keys, got ${describeValue(data)}`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const [path, value] of flatten(lowerKeys(data))) {
    const canonical = ALIASES[path] ?? path;
    const spec = keySpec(canonical);
    if (!spec) {
      warnings.push(`Unknown config key "${path}" in "${source}" is ignored`);
      continue;
    }
    setPath(values, canonical, validateValue(canonical, value, source));
  }
  return values;
}

function lowerKeys(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const lower = key.toLowerCase();
    // aws-profiles maps profile names, which are case-sensitive: keep them as written.
    out[lower] = isPlainObject(value) && lower !== "aws-profiles" ? lowerKeys(value) : value;
  }
  return out;
}

function flatten(data: Record<string, unknown>, prefix = ""): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(data)) {
    const path = prefix + key;
    if (isPlainObject(value) && !keySpec(path)) {
      for (const entry of flatten(value, path + ".")) out.push(entry);
    } else out.push([path, value]);
  }
  return out;
}
