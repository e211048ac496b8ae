/**
 * Configuration layers without the YAML parser: merging validated layers over the defaults, the environment and
 * command-line layers, and the values' validation. `load.ts` reads the files; a cache miss with the config
 * snapshot at hand (`stored.ts`) needs only this.
 *
 * @module
 */

import { WeepError } from "../errors.ts";
import { isValid } from "./validate.ts";
import {
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

/**
 * Merges validated layers over `base` (default: the defaults; maps merge key by key; scalars and lists are
 * replaced). `base` is changed in place.
 */
export function mergeLayers(
  layers: ConfigLayer[],
  base: Pick<LoadedConfig, "config" | "sources"> = {
    config: defaults(),
    sources: new Map(KEYS.map((key) => [key.path, "default"])),
  },
): Pick<LoadedConfig, "config" | "sources"> {
  const config = base.config as unknown as Record<string, unknown>;
  const { sources } = base;
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

/**
 * `base` with the command-line `flags` (values by key path) merged over it, as the last layer: what
 * {@linkcode mergeLayers} gives with the flags appended to `base`'s layers.
 */
export function withFlags(base: LoadedConfig, flags: Record<string, unknown>): LoadedConfig {
  const values = flagLayer(flags);
  const merged = mergeLayers([{ source: "flags", values }], {
    config: structuredClone(base.config),
    sources: new Map(base.sources),
  });
  return { ...base, ...merged };
}

/** Validates and normalises one value for key `path`; throws a message naming source, key and form. */
export function validateValue(path: string, value: unknown, source: string): unknown {
  const spec = keySpec(path);
  if (!spec) throw new Error(`unknown key ${path}`);
  if (!isValid(spec, value)) {
    throw new WeepError(
      `Invalid config in "${source}": key "${path}" must be ${spec.expected}, got ${describeValue(value)}`,
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

/** The `WEEP_<KEY>` environment variables as a layer. */
export function envLayer(env: (name: string) => string | undefined): Record<string, unknown> {
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

/** Command-line values by key path, validated, as a layer. */
export function flagLayer(flags: Record<string, unknown>): Record<string, unknown> {
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

/** A map (not a list, a date or nothing). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** How a wrong value is named in a message: `a list`, `a map`, `nothing`, or the value as JSON. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "a map";
  return JSON.stringify(value);
}
