/**
 * The configuration as a config snapshot keeps it (`src/cache/fast_path.ts`), so that a cache miss whose raw
 * inputs (embedded config, files, `WEEP_*` variables) hash to a stored snapshot needs no YAML parser: the parsed
 * configuration is a function of those inputs and of this weep's schema, which the stored form names by a
 * stamp. A snapshot from another weep (or none) loads the files again.
 *
 * @module
 */

import { sha256Hex } from "../platform/hash.ts";
import { BUILD, VERSION } from "../version.ts";
import type { LoadedConfig } from "./layers.ts";
import { KEYS, type WeepConfig } from "./schema.ts";

/** A {@linkcode LoadedConfig} (before command-line flags) as JSON can hold it. */
export interface StoredConfig {
  /** This weep's version, commit and key table, hashed: the parser that made `config`. */
  format: string;
  config: WeepConfig;
  sources: [string, string][];
  warnings: string[];
  files: string[];
}

let format: Promise<string> | undefined;

/** The stamp of this weep's configuration format (see {@linkcode StoredConfig.format}). */
export function configFormat(): Promise<string> {
  return format ??= sha256Hex(JSON.stringify([VERSION, BUILD.commit, KEYS]), 16);
}

/** `loaded` as a snapshot keeps it. */
export async function storeConfig(loaded: LoadedConfig): Promise<StoredConfig> {
  return {
    format: await configFormat(),
    config: loaded.config,
    sources: [...loaded.sources],
    warnings: loaded.warnings,
    files: loaded.files,
  };
}

/** The configuration `stored` holds, or `undefined` when another weep's format (or no config) made it. */
export async function fromStored(stored: unknown): Promise<LoadedConfig | undefined> {
  const value = stored as Partial<StoredConfig> | undefined;
  if (typeof value !== "object" || value === null || value.format !== await configFormat()) return undefined;
  const { config, sources, warnings, files } = value;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === "string");
  const pairs = Array.isArray(sources) && sources.every((pair) => Array.isArray(pair) && strings(pair));
  if (typeof config !== "object" || config === null || !pairs || !strings(warnings) || !strings(files)) {
    return undefined;
  }
  return { config, sources: new Map(sources), warnings: warnings!, files: files! };
}
