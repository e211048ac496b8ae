/**
 * Loads weep's configuration in layers, later wins: embedded (baked in at build time) → the user's
 * `~/.aws/weep/weep.yaml` (or `--config FILE` instead) → `--extra-config-file` → `WEEP_<KEY>` environment
 * variables → command-line flags. Each layer is validated on its own so errors name their source.
 *
 * @module
 */

import { load as parseYaml } from "js-yaml";
import { WeepError } from "../errors.ts";
import { isValid } from "./validate.ts";
import {
  ALIASES,
  defaults,
  durationSeconds,
  envName,
  getPath,
  KEYS,
  keySpec,
  setPath,
  type WeepConfig,
} from "./schema.ts";

/** One configuration source before merging. */
export interface ConfigLayer {
  /** Shown in errors and `weep info`: `embedded`, a file path, `environment`, `flags`. */
  source: string;
  /** Validated, normalised values as a nested object. */
  values: Record<string, unknown>;
}

/** The merged configuration, where each key came from, and warnings for the user. */
export interface LoadedConfig {
  config: WeepConfig;
  /** Key path → source of its value (`default` when no layer set it). */
  sources: Map<string, string>;
  warnings: string[];
  /** The files that were read, in order. */
  files: string[];
}

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

/** Merges validated layers over the defaults (maps merge key by key; scalars and lists are replaced). */
export function mergeLayers(layers: ConfigLayer[]): Pick<LoadedConfig, "config" | "sources"> {
  const config = defaults() as unknown as Record<string, unknown>;
  const sources = new Map<string, string>(KEYS.map((key) => [key.path, "default"]));
  for (const layer of layers) {
    for (const key of KEYS) {
      const value = getPath(layer.values, key.path);
      if (value === undefined) continue;
      const current = getPath(config, key.path);
      const merged = key.kind === "map" && isPlainObject(current) && isPlainObject(value)
        ? { ...current, ...value }
        : value;
      setPath(config, key.path, merged);
      sources.set(key.path, layer.source);
    }
  }
  return { config: config as unknown as WeepConfig, sources };
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
    throw new WeepError(`Invalid config file "${source}": expected a map of keys, got ${describe(data)}`);
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

/** Validates and normalises one value for key `path`; throws a message naming source, key and form. */
export function validateValue(path: string, value: unknown, source: string): unknown {
  const spec = keySpec(path);
  if (!spec) throw new Error(`unknown key ${path}`);
  if (!isValid(spec, value)) {
    throw new WeepError(
      `Invalid config in "${source}": key "${path}" must be ${spec.expected}, got ${describe(value)}`,
    );
  }
  if (spec.kind === "url") return (value as string).replace(/\/+$/, "");
  if (spec.kind === "urls") return (value as string[]).map((url) => url.replace(/\/+$/, ""));
  if (spec.kind === "duration") return durationSeconds(value as string | number);
  if (spec.kind === "routes") {
    return (value as { path: string; data?: string }[]).map((r) => ({ data: "", ...r }));
  }
  return value;
}

function envLayer(env: (name: string) => string | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of KEYS) {
    if (key.kind === "map" || key.kind === "routes") continue;
    const name = envName(key.path);
    const raw = env(name);
    if (raw === undefined) continue;
    setPath(
      values,
      key.path,
      validateValue(key.path, fromEnvText(key.kind, raw), `environment variable ${name}`),
    );
  }
  return values;
}

function flagLayer(flags: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flags)) {
    if (value !== undefined) setPath(values, path, validateValue(path, value, "command line"));
  }
  return values;
}

/** Converts an environment variable's text to the key's type (invalid text is left for validation to reject). */
function fromEnvText(kind: string, raw: string): unknown {
  const text = raw.trim();
  switch (kind) {
    case "bool":
      return /^(true|1|yes|on)$/i.test(text) ? true : /^(false|0|no|off)$/i.test(text) ? false : raw;
    case "int":
      return /^-?\d+$/.test(text) ? Number(text) : raw;
    case "list":
    case "urls":
      return text === "" ? [] : text.split(",").map((item) => item.trim());
    default:
      return raw;
  }
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a map";
  return JSON.stringify(value);
}
