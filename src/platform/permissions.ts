/**
 * weep's Deno permission set, defined once. `deno task weep`, `deno task install`, the compile script and the
 * tests that spawn the CLI all take their flags from here; nobody writes a permission flag by hand elsewhere.
 *
 * The set: network access; read and write only the AWS directory (and the files `AWS_CONFIG_FILE` /
 * `AWS_SHARED_CREDENTIALS_FILE` name, with the temporary file weep renames over each); the environment
 * variables weep reads; and the platform URL openers.
 *
 * @module
 */

import type { WeepPaths } from "../config/paths.ts";

/** A Deno permission set, as lists per permission kind. */
export interface PermissionSet {
  /** Paths weep may read. */
  read: string[];
  /** Paths weep may write. */
  write: string[];
  /** Environment variables (`AWS_*` style prefixes allowed). */
  env: string[];
  /** Programs weep may start. */
  run: string[];
  /** System information weep may query. */
  sys: string[];
  /** Network: always allowed (ConsoleMe, STS, and `serve`'s listener). */
  net: true;
}

/** The environment variables weep reads. */
export const ENV_VARS: readonly string[] = [
  "HOME",
  "USERPROFILE",
  "PATH",
  "SHELL",
  "TERM",
  "NO_COLOR",
  "AWS_*",
  "WEEP_*",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "WSL_DISTRO_NAME",
];

/** The programs weep may start: the platform URL openers. */
export const URL_OPENERS: readonly string[] = ["xdg-open", "wslview", "open", "cmd"];

/** System information weep reads (`info`, WSL detection). */
export const SYS_INFO: readonly string[] = ["hostname", "osRelease"];

/**
 * The temporary file weep writes before renaming it over `path`. Its name is fixed so that the permission set
 * can grant it ahead of time for files outside the AWS directory; writers hold the file's lock.
 */
export function tempPathFor(path: string): string {
  return `${path}.weep-tmp`;
}

function isInside(path: string, dir: string): boolean {
  const norm = (p: string) => p.replaceAll("\\", "/").replace(/\/+$/, "");
  return norm(path) === norm(dir) || norm(path).startsWith(norm(dir) + "/");
}

/**
 * The permission set for one user: their AWS directory, the AWS files their environment names, and
 * `extraRead` (for example mTLS certificate directories).
 */
export function userPermissionSet(
  paths: WeepPaths,
  options: { extraRead?: readonly string[] } = {},
): PermissionSet {
  const files = [paths.configFile, paths.credentialsFile].filter((file) => !isInside(file, paths.awsDir));
  const outside = [...new Set(files)].flatMap((file) => [file, tempPathFor(file)]);
  return {
    read: [paths.awsDir, ...outside, ...(options.extraRead ?? [])],
    write: [paths.awsDir, ...outside],
    env: [...ENV_VARS],
    run: [...URL_OPENERS],
    sys: [...SYS_INFO],
    net: true,
  };
}

/** The Deno command-line flags for a permission set (with `--no-prompt`: a denial is an error, never a question). */
export function permissionFlags(set: PermissionSet): string[] {
  const list = (values: readonly string[]) => [...new Set(values)].join(",");
  return [
    "--no-prompt",
    "--allow-net",
    `--allow-read=${list(set.read)}`,
    `--allow-write=${list(set.write)}`,
    `--allow-env=${list(set.env)}`,
    `--allow-run=${list(set.run)}`,
    `--allow-sys=${list(set.sys)}`,
  ];
}
