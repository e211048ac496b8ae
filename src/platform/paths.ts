/**
 * The one module that knows where weep's files are: the user's AWS config and credentials files and weep's
 * own directory `~/.aws/weep/` (config, login sessions, credential cache, locks).
 *
 * @module
 */

import { WeepError } from "../errors.ts";

/** The environment variables that decide the paths. */
export interface PathEnv {
  HOME?: string | undefined;
  USERPROFILE?: string | undefined;
  AWS_CONFIG_FILE?: string | undefined;
  AWS_SHARED_CREDENTIALS_FILE?: string | undefined;
}

/** Every path weep reads or writes. */
export interface WeepPaths {
  /** The user's home directory. */
  home: string;
  /** `~/.aws`. */
  awsDir: string;
  /** `$AWS_CONFIG_FILE` or `~/.aws/config`. */
  configFile: string;
  /** `$AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`. */
  credentialsFile: string;
  /** `~/.aws/weep`, created 0700. */
  weepDir: string;
  /** `~/.aws/weep/weep.yaml`. */
  weepConfigFile: string;
  /** `~/.aws/weep/sessions`: challenge logins, one file per ConsoleMe and user. */
  sessionsDir: string;
  /** `~/.aws/weep/session.json`: the one challenge login of earlier releases (moved to `sessionsDir`). */
  legacySessionFile: string;
  /** `~/.aws/weep/cache`: credential cache entries. */
  cacheDir: string;
  /** `~/.aws/weep/locks`: lock files for single-flight work and file edits. */
  locksDir: string;
  /** `~/.aws/weep/install.json`: what `deno task install` put where. */
  installFile: string;
  /** `~/.aws/weep/usage`: which roles were used, and when (`weep generate --used`); never secrets. */
  usageDir: string;
}

/** The platform's path separator. */
export function separator(os: typeof Deno.build.os): string {
  return os === "windows" ? "\\" : "/";
}

/** Joins path parts with the platform separator, without doubling separators. */
export function joinPath(os: typeof Deno.build.os, ...parts: string[]): string {
  const sep = separator(os);
  return parts
    .map((part, i) => (i === 0 ? part.replace(/[\\/]+$/, "") : part.replace(/^[\\/]+|[\\/]+$/g, "")))
    .filter((part, i) => i === 0 || part !== "")
    .join(sep) || sep;
}

/** Returns the directory part of a path. */
export function dirname(path: string): string {
  const index = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (index < 0) return ".";
  return index === 0 ? path.slice(0, 1) : path.slice(0, index);
}

/** Returns the home directory from the environment: `HOME`, or `USERPROFILE` on Windows. */
export function homeDir(env: PathEnv, os: typeof Deno.build.os): string | undefined {
  const home = os === "windows" ? env.USERPROFILE || env.HOME : env.HOME;
  return home ? home : undefined;
}

/** Works out every path weep uses from the environment. Pure: reads nothing from disk. */
export function resolvePaths(env: PathEnv, os: typeof Deno.build.os): WeepPaths {
  const home = homeDir(env, os);
  if (home === undefined) {
    const name = os === "windows" ? "USERPROFILE" : "HOME";
    throw new WeepError(`${name} is not set: weep cannot find your AWS directory`, {
      hints: [`Set ${name} to your home directory (weep uses ${name}/.aws)`],
    });
  }
  const awsDir = joinPath(os, home, ".aws");
  const weepDir = joinPath(os, awsDir, "weep");
  return {
    home,
    awsDir,
    configFile: env.AWS_CONFIG_FILE || joinPath(os, awsDir, "config"),
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE || joinPath(os, awsDir, "credentials"),
    weepDir,
    weepConfigFile: joinPath(os, weepDir, "weep.yaml"),
    sessionsDir: joinPath(os, weepDir, "sessions"),
    legacySessionFile: joinPath(os, weepDir, "session.json"),
    cacheDir: joinPath(os, weepDir, "cache"),
    locksDir: joinPath(os, weepDir, "locks"),
    installFile: joinPath(os, weepDir, "install.json"),
    usageDir: joinPath(os, weepDir, "usage"),
  };
}

/** Reads the path variables from this process's environment (or from `get`). */
export function processPathEnv(
  get: (name: string) => string | undefined = (name) => Deno.env.get(name),
): PathEnv {
  return {
    HOME: get("HOME"),
    USERPROFILE: Deno.build.os === "windows" ? get("USERPROFILE") : undefined,
    AWS_CONFIG_FILE: get("AWS_CONFIG_FILE"),
    AWS_SHARED_CREDENTIALS_FILE: get("AWS_SHARED_CREDENTIALS_FILE"),
  };
}

/** Whether `path` is absolute on `os`. */
export function isAbsolutePath(path: string, os: string): boolean {
  return os === "windows" ? /^([A-Za-z]:[\\/]|\\\\)/.test(path) : path.startsWith("/");
}

/** `path` made absolute against `cwd` (the AWS tools run profiles from any directory; locks key on the path). */
export function absolutePath(path: string, cwd: string, os: typeof Deno.build.os): string {
  return isAbsolutePath(path, os) ? path : joinPath(os, cwd, path);
}
