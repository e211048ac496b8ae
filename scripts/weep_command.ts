/**
 * The `deno run` command line that runs weep from source under its permission set. Used by `deno task weep`,
 * the installer, the demo, the benchmarks and the tests, so all of them run weep exactly as users do.
 *
 * @module
 */

import { type PathEnv, resolvePaths } from "../src/platform/paths.ts";
import { fileUrlToPath } from "./compile_plan.ts";
import {
  awsLinkTargets,
  permissionFlags,
  sourceRunArgv,
  userPermissionSet,
} from "../src/platform/permissions.ts";

/** The project root (where `deno.json` is). */
export const ROOT: string = fileUrlToPath(new URL("..", import.meta.url)).replace(/[\\/]$/, "");

/** The permission set weep runs with for a user whose environment is `env` (AWS files' links resolved now). */
function sourcePermissionSet(env: PathEnv, extraRead: readonly string[]) {
  const paths = resolvePaths(env, Deno.build.os);
  return userPermissionSet(paths, { extraRead, linkTargets: awsLinkTargets(paths) });
}

/** The permission flags weep runs with for a user whose environment is `env`. */
export function weepPermissionFlags(env: PathEnv, extraRead: readonly string[] = []): string[] {
  return permissionFlags(sourcePermissionSet(env, extraRead));
}

/** `deno` arguments that run weep from source under the permission set of `env` (see `sourceRunArgv`). */
export function weepRunArgs(env: PathEnv, extraRead: readonly string[] = []): string[] {
  return sourceRunArgv(ROOT, sourcePermissionSet(env, extraRead));
}

/** The path variables of this process's environment. */
export function currentPathEnv(): PathEnv {
  return {
    HOME: Deno.env.get("HOME"),
    USERPROFILE: Deno.env.get("USERPROFILE"),
    AWS_CONFIG_FILE: Deno.env.get("AWS_CONFIG_FILE"),
    AWS_SHARED_CREDENTIALS_FILE: Deno.env.get("AWS_SHARED_CREDENTIALS_FILE"),
  };
}
