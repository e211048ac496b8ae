/**
 * `deno task install [--shim]`: installs a `weep` command for the current user in `$DENO_INSTALL_ROOT/bin`
 * (default `~/.deno/bin`), allowed exactly this user's AWS paths (the `install` permission set).
 *
 * It compiles a binary where `deno compile` can fetch its runtime; otherwise (it says why), or with `--shim`, it
 * writes a script that runs weep from this repository. Re-running replaces the previous install. What it made is
 * recorded in `~/.aws/weep/install.json` (`{"kind","path","version"}`), which `weep generate` reads to tell
 * whether the `weep` on PATH is this installation. A Netflix weep user's `~/.weep/weep.yaml` is copied to
 * `~/.aws/weep/weep.yaml` when there is none yet.
 *
 * @module
 */

import { parseLayer } from "../src/config/load.ts";
import { netflixConfigFiles } from "../src/config/netflix.ts";
import { joinPath, resolvePaths, type WeepPaths } from "../src/platform/paths.ts";
import { errorText, WeepError } from "../src/errors.ts";
import { pathExists, readTextIfExists, writeFileAtomic } from "../src/platform/files.ts";
import { Output, processSinks } from "../src/platform/output.ts";
import { writeStateFile } from "../src/platform/state_files.ts";
import {
  awsLinkTargets,
  isInside,
  type MtlsPathSettings,
  mtlsReadPaths,
  type PermissionSet,
  permissionSetFor,
  type TargetOs,
  tempPathFor,
} from "../src/platform/permissions.ts";
import { VERSION } from "../src/version.ts";
import { gitCommit, ROOT, type Runner, runProgram, withBuildTree } from "./compile.ts";
import { requireFreshBundle } from "./bundle.ts";
import {
  buildDate,
  buildInfoFor,
  compileArgv,
  explainCompileFailure,
  hostTarget,
  isRuntimeDownloadFailure,
} from "./compile_plan.ts";
import {
  cmdShim,
  commandNames,
  INSTALL_USAGE,
  type InstallOptions,
  type InstallRecord,
  installRecordText,
  installRoot,
  parseInstallArgs,
  pathAdvice,
  shellShim,
  SHIM_MARKER,
  shimArgv,
} from "./install_plan.ts";

/** What the installer needs from the outside world. */
export interface InstallDeps {
  /** The repository to install from. */
  root: string;
  run: Runner;
  output: Output;
  env: (name: string) => string | undefined;
  os: typeof Deno.build.os;
  now: () => Date;
}

/**
 * Copies Netflix weep's `~/.weep/weep.yaml` (or `.yml`) to `~/.aws/weep/weep.yaml` when the user has no weep
 * config yet: weep itself may read only the AWS directory. The original stays; the copy is 0600. Returns the
 * file copied, if any.
 */
export async function copyNetflixConfig(paths: WeepPaths, deps: InstallDeps): Promise<string | undefined> {
  if (await pathExists(paths.weepConfigFile)) return undefined;
  const [yaml] = netflixConfigFiles(paths.home, deps.os);
  for (const from of [yaml as string, (yaml as string).replace(/\.yaml$/, ".yml")]) {
    const text = await readTextIfExists(from).catch(() => undefined);
    if (text === undefined) continue;
    await writeFileAtomic(paths.weepConfigFile, text, { mode: 0o600 });
    deps.output.info(
      `Copied your Netflix weep config ${from} to ${paths.weepConfigFile}: weep reads only its AWS directory`,
    );
    const warnings: string[] = [];
    try {
      parseLayer(text, paths.weepConfigFile, warnings);
    } catch (error) {
      warnings.push(`${errorText(error)}; fix it before using weep`);
    }
    for (const warning of warnings) deps.output.warn(warning);
    return from;
  }
  return undefined;
}

/** The read-only mTLS paths of the user's `weep.yaml` that lie outside `~/.aws`. */
async function mtlsExtraRead(paths: WeepPaths, deps: InstallDeps): Promise<string[]> {
  const text = await readTextIfExists(paths.weepConfigFile);
  if (text === undefined || !["linux", "darwin", "windows"].includes(deps.os)) return [];
  try {
    const values = parseLayer(text, paths.weepConfigFile, []);
    const found = mtlsReadPaths(
      (values.mtls_settings ?? {}) as MtlsPathSettings,
      deps.os as TargetOs,
      paths.home,
    );
    for (const note of found.notes) deps.output.warn(note);
    return found.read.filter((path) => !isInside(path, paths.awsDir, deps.os));
  } catch (error) {
    deps.output.warn(`Not granting mTLS paths: ${errorText(error)}`);
    return [];
  }
}

async function isOurShim(path: string): Promise<boolean> {
  const text = await readTextIfExists(path).catch(() => undefined);
  return text !== undefined && text.slice(0, 200).includes(SHIM_MARKER);
}

/** Compiles the binary into `bin`; returns its path, or `undefined` (with the reason printed) to fall back. */
async function installBinary(
  set: PermissionSet,
  bin: string,
  deps: InstallDeps,
): Promise<string | undefined> {
  let target;
  try {
    target = hostTarget();
  } catch (error) {
    deps.output.warn(`${errorText(error)}; installing a shim script instead`);
    return undefined;
  }
  const exe = deps.os === "windows" ? ".exe" : "";
  const temp = joinPath(deps.os, bin, `.weep-install-${deps.now().getTime()}${exe}`);
  const info = buildInfoFor({
    commit: await gitCommit(deps.root, deps.run),
    date: buildDate(deps.env("SOURCE_DATE_EPOCH"), deps.now()),
    artifact: "install",
  });
  deps.output.info("Compiling weep for this machine");
  // Built from a staging copy: the checkout's src/build_info.json is never touched.
  const result = await withBuildTree(
    deps.root,
    info,
    (root) => deps.run(Deno.execPath(), compileArgv({ root, target, output: temp, permissions: set })),
  );
  if (result.code !== 0) {
    await Deno.remove(temp).catch(() => {});
    const failure = explainCompileFailure(target, result.stderr);
    if (!isRuntimeDownloadFailure(result.stderr)) throw failure;
    deps.output.warn(`${failure.message}; installing a shim script instead`);
    for (const hint of failure.hints) deps.output.note(`  ${hint}\n`);
    return undefined;
  }
  const path = joinPath(deps.os, bin, `weep${exe}`);
  await Deno.rename(temp, path);
  return path;
}

/** Writes the shim script(s) into `bin`; returns the command's path. */
async function installShim(set: PermissionSet, bin: string, deps: InstallDeps): Promise<string> {
  const argv = shimArgv(deps.root, set);
  const sh = joinPath(deps.os, bin, "weep");
  await writeFileAtomic(sh, shellShim(Deno.execPath(), argv), { mode: 0o755 });
  if (deps.os !== "windows") {
    await Deno.chmod(sh, 0o755);
    return sh;
  }
  const cmd = joinPath(deps.os, bin, "weep.cmd");
  await writeFileAtomic(cmd, cmdShim(Deno.execPath(), argv));
  return cmd;
}

async function readRecord(file: string): Promise<InstallRecord | undefined> {
  try {
    const text = await readTextIfExists(file);
    return text === undefined ? undefined : JSON.parse(text) as InstallRecord;
  } catch {
    return undefined;
  }
}

/**
 * On Windows a binary (`weep.exe`) and a shim (`weep.cmd`, `weep`) have different names, and PATH lookup prefers
 * `.exe`: remove the other kind when it is ours, so the new install is the one that runs.
 */
async function removeStale(
  bin: string,
  kind: InstallRecord["kind"],
  previous: InstallRecord | undefined,
  deps: InstallDeps,
): Promise<void> {
  if (deps.os !== "windows") return;
  if (kind === "binary") {
    for (const name of ["weep.cmd", "weep"]) {
      const path = joinPath(deps.os, bin, name);
      if (await isOurShim(path)) await Deno.remove(path);
    }
    return;
  }
  const exe = joinPath(deps.os, bin, "weep.exe");
  if (previous?.kind === "binary" && previous.path === exe && await pathExists(exe)) await Deno.remove(exe);
}

/** Installs weep for the current user and records it; returns the record. */
export async function installWeep(options: InstallOptions, deps: InstallDeps): Promise<InstallRecord> {
  const pathEnv = {
    HOME: deps.env("HOME"),
    USERPROFILE: deps.os === "windows" ? deps.env("USERPROFILE") : undefined,
    AWS_CONFIG_FILE: deps.env("AWS_CONFIG_FILE"),
    AWS_SHARED_CREDENTIALS_FILE: deps.env("AWS_SHARED_CREDENTIALS_FILE"),
  };
  let paths: WeepPaths;
  try {
    paths = resolvePaths(pathEnv, deps.os);
  } catch (error) {
    throw new WeepError(`Cannot install weep: ${errorText(error)}`, {
      hints: ["Run it as the user who uses weep"],
    });
  }
  await copyNetflixConfig(paths, deps);
  // A dotfile-managed ~/.aws/config is a link: Deno checks its target, so the target is granted too.
  const set = permissionSetFor({
    kind: "install",
    paths,
    extraRead: await mtlsExtraRead(paths, deps),
    linkTargets: awsLinkTargets(paths),
  });
  const bin = joinPath(deps.os, installRoot(deps.env("DENO_INSTALL_ROOT"), paths.home, deps.os), "bin");
  await Deno.mkdir(bin, { recursive: true });

  const binary = options.shim ? undefined : await installBinary(set, bin, deps);
  const path = binary ?? await installShim(set, bin, deps);
  await removeStale(bin, binary ? "binary" : "shim", await readRecord(paths.installFile), deps);
  const first = await firstOnPath(deps.env("PATH"), deps.os);
  const record: InstallRecord = {
    kind: binary ? "binary" : "shim",
    path,
    version: VERSION,
    // Whether `weep` on PATH runs this install: generate then writes plain `weep` into profiles.
    firstOnPath: first !== undefined && isInside(first, bin, deps.os),
  };
  // The record names the program generated profiles run: written as weep's own state (0600, never via a link).
  await writeStateFile(paths.installFile, installRecordText(record));

  deps.output.info(
    binary
      ? `Installed weep ${VERSION} as a compiled binary: ${path}`
      : `Installed weep ${VERSION} as a shim script that runs ${deps.root}: ${path}`,
  );
  const writable = set.write.filter((path) => !set.write.some((other) => tempPathFor(other) === path));
  const readOnly = set.read.filter((path) => !set.write.includes(path));
  deps.output.note(
    `  It may read and write ${writable.join(", ")}${
      readOnly.length ? `, and read ${readOnly.join(", ")}` : ""
    }\n` +
      "  Run deno task install again after changing AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, where your AWS " +
      "files link to, or mTLS paths\n",
  );
  for (const line of pathAdvice(bin, deps.env("PATH"), deps.os)) deps.output.note(`  ${line}\n`);
  if (first !== undefined && !isInside(first, bin, deps.os)) {
    deps.output.warn(`Another weep comes first on PATH: ${first}`);
  }
  return record;
}

async function firstOnPath(pathEnv: string | undefined, os: string): Promise<string | undefined> {
  for (const dir of (pathEnv ?? "").split(os === "windows" ? ";" : ":")) {
    if (dir === "") continue;
    for (const name of commandNames(os)) {
      const candidate = joinPath(os as typeof Deno.build.os, dir, name);
      if (await pathExists(candidate).catch(() => false)) return candidate;
    }
  }
  return undefined;
}

/** Runs `deno task install` with `args`; returns the exit code. */
export async function main(args: string[], output: Output): Promise<number> {
  try {
    const options = parseInstallArgs(args);
    if (options.help) {
      output.stdout(INSTALL_USAGE);
      return 0;
    }
    // A binary, and a shim, run the committed bundle of the credential_process start: never a stale one.
    await requireFreshBundle(ROOT);
    const record = await installWeep(options, {
      root: ROOT,
      run: runProgram,
      output,
      env: (name) => Deno.env.get(name),
      os: Deno.build.os,
      now: () => new Date(),
    });
    output.stdout(record.path + "\n");
    return 0;
  } catch (error) {
    if (error instanceof WeepError) {
      output.error(error.message, error.hints);
      return error.exitCode;
    }
    output.error(errorText(error));
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args, new Output(processSinks())));
}
