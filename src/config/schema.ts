/**
 * Every configuration key weep reads, with its type, default and meaning. The table drives validation
 * (`validate.ts`), the `WeepConfig` type, `WEEP_<KEY>` environment variables, defaults and the configuration
 * reference (docs/configuration.md). Plain data: the start-up fast path reads it without loading the validation
 * library.
 *
 * @module
 */

import { LOG_FORMATS, LOG_LEVELS } from "../global_flags.ts";

/** How a key's value is written in YAML and in `WEEP_<KEY>`. */
export type KeyKind =
  | "string"
  | "url"
  | "urls"
  | "bool"
  | "int"
  | "list"
  | "enum"
  | "duration"
  | "map"
  | "routes";

/** One configuration key. */
export interface KeySpec {
  /** Dotted key path, e.g. `challenge_settings.user`. */
  path: string;
  kind: KeyKind;
  /** The default, in the effective (normalised) form. */
  default: unknown;
  /** What the key does; shown in docs/configuration.md and `weep info`. */
  doc: string;
  /** The expected form, for error messages. */
  expected: string;
  /** Allowed values for `enum` keys. */
  values?: readonly string[];
  /** Lower and upper bounds for `int` keys. */
  range?: readonly [number, number];
}

/** A key's spec with its path, kind and values kept as literal types, from which {@linkcode WeepConfig} is made. */
type SpecOf<P extends string, K extends KeyKind, V extends readonly string[]> =
  & Omit<KeySpec, "path" | "kind" | "values">
  & { readonly path: P; readonly kind: K; readonly values?: V };

function spec<
  const P extends string,
  const K extends KeyKind,
  const V extends readonly string[] = readonly [],
>(
  path: P,
  kind: K,
  defaultValue: unknown,
  doc: string,
  extra: { values?: V; range?: readonly [number, number] } = {},
): SpecOf<P, K, V> {
  const [lo, hi] = extra.range ?? [0, Number.MAX_SAFE_INTEGER];
  const expected: Record<KeyKind, string> = {
    string: "a string",
    url: "an http:// or https:// URL, e.g. https://consoleme.example.com",
    urls: "a list of http:// or https:// URLs, e.g. [https://login.example.com]",
    bool: "true or false",
    int: `an integer from ${lo} to ${hi}`,
    list: "a list of strings",
    enum: `one of ${(extra.values ?? []).map((value) => value === "" ? '""' : value).join(", ")}`,
    duration: 'a duration such as "20m", "90s" or "1h", or a number of seconds',
    map: "a map of profile names to role ARNs",
    routes: "a list of {path, data} entries",
  };
  return { path, kind, default: defaultValue, doc, expected: expected[kind], ...extra };
}

/** Every key weep reads, in the order docs/configuration.md documents them. */
export const KEYS = [
  spec("consoleme_url", "url", "", "Base URL of ConsoleMe (trailing slashes are removed)"),
  spec("consoleme_open_url_override", "url", "", "Base URL for links opened in a browser (console, open)"),
  spec(
    "trusted_origins",
    "urls",
    [],
    "Origins besides ConsoleMe's own whose login pages, pollers and links weep may open (`https://login.example.com`)",
  ),
  spec("authentication_method", "enum", "challenge", "How weep logs in to ConsoleMe", {
    values: ["challenge", "mtls"],
  }),
  spec("challenge_settings.user", "string", "", "ConsoleMe user name for challenge login"),
  spec("mtls_settings.certs", "list", [], "Client certificate file names or paths to try"),
  spec("mtls_settings.keys", "list", [], "Client key file names or paths to try"),
  spec("mtls_settings.cert", "string", "", "Single client certificate (older form, added to certs)"),
  spec("mtls_settings.key", "string", "", "Single client key (older form, added to keys)"),
  spec(
    "mtls_settings.catrust",
    "string",
    "",
    "CA bundle (file name or path) that signs ConsoleMe's certificate; added to the system's roots",
  ),
  spec(
    "mtls_settings.insecure",
    "bool",
    false,
    "Not supported: weep always verifies ConsoleMe's certificate, and warns when this is set",
  ),
  spec("mtls_settings.darwin", "list", [], "Directories searched for mTLS files on macOS ($HOME expanded)"),
  spec("mtls_settings.linux", "list", [], "Directories searched for mTLS files on Linux ($HOME expanded)"),
  spec(
    "mtls_settings.windows",
    "list",
    [],
    "Directories searched for mTLS files on Windows ($HOME expanded)",
  ),
  spec(
    "mtls_settings.old_cert_message",
    "string",
    "mTLS certificate is too old, please refresh mtls certificate",
    "Message shown when ConsoleMe says the certificate is too old (905)",
  ),
  spec("mtls_settings.enabled", "bool", false, "Accepted for compatibility; authentication_method decides"),
  spec("server.address", "string", "127.0.0.1", "Address `serve` listens on"),
  spec("server.port", "int", 9091, "Port `serve` listens on", { range: [0, 65535] }),
  spec(
    "server.enforce_imdsv2",
    "bool",
    true,
    "`serve`: refuse IMDS requests without an IMDSv2 token (false also answers IMDSv1 GETs, which any local web page can forge)",
  ),
  spec("server.http_timeout", "int", 20, "Seconds before a ConsoleMe request is abandoned", {
    range: [1, 3600],
  }),
  spec("aws.region", "string", "us-east-1", "Region for STS calls (--assume-role, whoami)"),
  spec("cache.min_remaining", "duration", 1200, "Serve cached credentials only while more than this remains"),
  spec(
    "cache.stale_min_remaining",
    "duration",
    120,
    "When ConsoleMe fails for a passing reason, serve cached credentials that still have at least this long",
  ),
  spec(
    "cache.failure_window",
    "duration",
    10,
    "How long other weep processes take a failed ConsoleMe request's answer instead of repeating it",
  ),
  spec(
    "generate.name",
    "string",
    "",
    "Default for `generate --name`: how profiles are named, e.g. `{account}-{role}` (empty: by role ARN)",
  ),
  spec(
    "generate.profile_region",
    "string",
    "",
    "Default for `generate --profile-region`: the `region` written into profiles weep adds (empty: none)",
  ),
  spec("log_level", "enum", "", "Default for --log-level", { values: ["", ...LOG_LEVELS] }),
  spec("log_format", "enum", "", "Default for --log-format", { values: ["", ...LOG_FORMATS] }),
  spec("log_file", "string", "", "Default for --log-file: also write log lines to this file (under ~/.aws)"),
  spec("feature_flags.consoleme_metadata", "bool", false, "Send client metadata with credential requests"),
  spec("swag.enable", "bool", false, "whoami: look up the account name in SWAG"),
  spec("swag.use_mtls", "bool", false, "whoami: present the mTLS client certificate (mtls_settings) to SWAG"),
  spec("swag.url", "url", "", "whoami: SWAG base URL"),
  spec("service.command", "string", "serve", "Accepted for compatibility with weep's service settings"),
  spec("service.args", "list", [], "Accepted for compatibility with weep's service settings"),
  spec("service.flags", "list", [], "Accepted for compatibility with weep's service settings"),
  spec("service.run", "list", ["service", "run"], "Accepted for compatibility with weep's service settings"),
  spec("metadata.routes", "routes", [], "`serve`: extra IMDS paths and the text they answer"),
  spec("aws-profiles", "map", {}, "Legacy: profile name to role ARN"),
  spec("aws-credential-file", "string", "", "Legacy: credentials file for weep's old refresh command"),
] as const satisfies readonly KeySpec[];

/** The effective (normalised) value of each kind: durations in seconds, routes with their `data`. */
interface KindValues {
  string: string;
  url: string;
  urls: string[];
  bool: boolean;
  int: number;
  list: string[];
  enum: string;
  duration: number;
  map: Record<string, string>;
  routes: { path: string; data: string }[];
}

/** The value of one key: an enum's values, else its kind's. */
type ValueOf<S> = S extends { kind: "enum"; values?: readonly (infer E)[] } ? E
  : S extends { kind: infer K extends KeyKind } ? KindValues[K]
  : never;

/** `{a: {b: T}}` for the dotted path `a.b`. */
type AtPath<P extends string, T> = P extends `${infer Head}.${infer Rest}` ? { [K in Head]: AtPath<Rest, T> }
  : { [K in P]: T };

/** One key's part of the configuration. */
type Entry<S> = S extends { path: infer P extends string } ? AtPath<P, ValueOf<S>> : never;

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Flattens intersections of objects into one object, all the way down (arrays and records as they are). */
type Merged<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]: Merged<T[K]> } : T;

/** The effective configuration: one property per key in {@linkcode KEYS}, nested at its dotted path. */
export type WeepConfig = Merged<Intersection<Entry<(typeof KEYS)[number]>>>;

/** Old key names that mean the same as a current one. */
export const ALIASES: Readonly<Record<string, string>> = {
  "server.ecs_credential_provider_port": "server.port",
};

/** The spec of a dotted key path, if weep knows it. */
export function keySpec(path: string): KeySpec | undefined {
  return KEYS.find((key) => key.path === path);
}

/** The `WEEP_<KEY>` environment variable of a key: upper-cased, `.` and `-` become `_`. */
export function envName(path: string): string {
  return "WEEP_" + path.toUpperCase().replace(/[.-]/g, "_");
}

/** The configuration with every key at its default. */
export function defaults(): WeepConfig {
  const config: Record<string, unknown> = {};
  for (const key of KEYS) setPath(config, key.path, structuredClone(key.default));
  return config as unknown as WeepConfig;
}

/** Sets a dotted path in a nested object, creating maps on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

/** Reads a dotted path from a nested object. */
export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Converts a duration (`"20m"`, `"90s"`, `"1h"`, or seconds) to seconds. */
export function durationSeconds(value: string | number): number {
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(value.trim());
  if (!match) return NaN;
  const factor = { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
  return Math.round(Number(match[1]) * factor);
}
