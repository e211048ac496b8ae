/**
 * `deno task compile [--target TARGET|host|all] [--embed-config FILE] [--out DIR]`: builds weep binaries for
 * other people (the release permission set; with `--embed-config`, an org build), packs each into an archive
 * (`.tar.gz`, or `.zip` for Windows) and writes `SHA256SUMS`. Prints the files it made on stdout.
 *
 * It never modifies the checkout: it compiles from a staging copy of `src/`, `deno.json` and `deno.lock` in a
 * temporary directory, whose `src/build_info.json` holds the commit, date, artifact kind and embedded
 * configuration, and removes the copy afterwards, whatever happens. The decisions live in `compile_plan.ts`.
 *
 * @module
 */

import { dirname, joinPath } from "../src/platform/paths.ts";
import { errorText, WeepError } from "../src/errors.ts";
import { Output, processSinks } from "../src/platform/output.ts";
import { sha256Hex } from "../src/platform/hash.ts";
import { isAbsolutePath, permissionSetFor } from "../src/platform/permissions.ts";
import type { BuildInfo } from "../src/version.ts";
import { VERSION } from "../src/version.ts";
import {
  archiveMember,
  archiveName,
  binaryName,
  buildDate,
  buildInfoFor,
  checksumsText,
  COMPILE_USAGE,
  compileArgv,
  type CompileOptions,
  type EmbeddedConfig,
  embeddedReadPaths,
  explainCompileFailure,
  fileUrlToPath,
  parseCompileArgs,
  tarArgv,
  type Target,
  targetOs,
  validateEmbeddedConfig,
} from "./compile_plan.ts";
import { zipArchive } from "./zip.ts";
import { requireFreshBundle } from "./bundle.ts";

/** The repository root this script belongs to. */
export const ROOT: string = fileUrlToPath(new URL("..", import.meta.url));

/** What a finished program said. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with arguments; tests pass a fake. */
export type Runner = (
  command: string,
  args: string[],
  options?: { env?: Record<string, string>; cwd?: string },
) => Promise<RunResult>;

/** Runs a real program, capturing its output. */
export async function runProgram(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<RunResult> {
  const result = await new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: result.code, stdout: text(result.stdout), stderr: text(result.stderr) };
}

/** What the compile shell needs from the outside world. */
export interface CompileDeps {
  /** The repository root (holds `deno.json`, `deno.lock`, `src/`). */
  root: string;
  run: Runner;
  output: Output;
  now: () => Date;
  env: (name: string) => string | undefined;
  /** Aborted on Ctrl-C: the build stops after the current step and removes its staging copy. */
  signal?: AbortSignal;
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** The short commit of `root`'s HEAD, with `+CHANGES` when tracked files differ from it; "" without git. */
export async function gitCommit(root: string, run: Runner): Promise<string> {
  try {
    const head = await run("git", ["-C", root, "rev-parse", "--short", "HEAD"]);
    if (head.code !== 0) return "";
    const status = await run("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"]);
    return head.stdout.trim() + (status.code === 0 && status.stdout.trim() !== "" ? "+CHANGES" : "");
  } catch {
    return "";
  }
}

/** `info` as the text of `build_info.json`. */
function buildInfoText(info: BuildInfo): string {
  return JSON.stringify(info, null, 2) + "\n";
}

/** Copies the directory `from` to `to` recursively (files by content; symbolic links by what they point to). */
async function copyTree(os: typeof Deno.build.os, from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = joinPath(os, from, entry.name);
    const target = joinPath(os, to, entry.name);
    const kind = entry.isSymlink ? await Deno.stat(source) : entry;
    if (kind.isDirectory) await copyTree(os, source, target);
    else if (kind.isFile) await Deno.copyFile(source, target);
  }
}

/**
 * Runs `fn(stagedRoot)` on a staging copy of `root`'s build inputs (`src/`, `deno.json`, `deno.lock`) in a
 * temporary directory whose `src/build_info.json` holds `info`, then removes the copy, whether `fn` succeeded,
 * failed or was interrupted. The checkout is never written: source runs in it meanwhile keep their own metadata.
 * The layout is the checkout's, so the compiled binary's module specifiers (relative to the root) and its
 * `deno.json` and lockfile (the same bytes) are unchanged.
 */
export async function withBuildTree<T>(
  root: string,
  info: BuildInfo,
  fn: (stagedRoot: string) => Promise<T>,
): Promise<T> {
  const os = Deno.build.os;
  const staged = await Deno.makeTempDir({ prefix: "weep-build-" });
  try {
    try {
      for (const file of ["deno.json", "deno.lock"]) {
        await Deno.copyFile(joinPath(os, root, file), joinPath(os, staged, file));
      }
      await copyTree(os, joinPath(os, root, "src"), joinPath(os, staged, "src"));
      await Deno.writeTextFile(joinPath(os, staged, "src", "build_info.json"), buildInfoText(info));
    } catch (error) {
      throw new WeepError(`Cannot copy the build inputs of "${root}" to "${staged}": ${errorText(error)}`, {
        cause: error,
      });
    }
    return await fn(staged);
  } finally {
    await Deno.remove(staged, { recursive: true });
  }
}

/** Compiles one binary with `deno compile`; throws the explained failure. */
export async function compileBinary(
  deps: Pick<CompileDeps, "run">,
  argv: string[],
  target: Target,
): Promise<void> {
  const result = await deps.run(Deno.execPath(), argv);
  if (result.code !== 0) throw explainCompileFailure(target, result.stderr);
}

/** Packs `binary` as the archive's single member (`weep` or `weep.exe`), executable. */
export async function packArchive(
  deps: Pick<CompileDeps, "run">,
  binary: string,
  archive: string,
  target: Target,
  date: Date,
): Promise<void> {
  const member = archiveMember(target);
  if (archive.endsWith(".zip")) {
    const data = await Deno.readFile(binary);
    await Deno.writeFile(archive, await zipArchive([{ name: member, data, mode: 0o755, date }]));
    return;
  }
  const stage = await Deno.makeTempDir({ prefix: "weep-stage-" });
  try {
    const staged = joinPath(Deno.build.os, stage, member);
    await Deno.copyFile(binary, staged);
    if (Deno.build.os !== "windows") await Deno.chmod(staged, 0o755);
    // Run in the archive's directory with a bare file name: GNU tar (first on PATH in some Windows shells)
    // reads an archive path with a drive letter as a remote host. COPYFILE_DISABLE keeps macOS tar from adding
    // AppleDouble "._weep" entries.
    const result = await deps.run("tar", tarArgv(basename(archive), stage, member), {
      env: { COPYFILE_DISABLE: "1" },
      cwd: dirname(archive),
    });
    if (result.code !== 0) {
      throw new WeepError(`Cannot pack "${archive}": tar failed`, { hints: [result.stderr.trim()] });
    }
  } finally {
    await Deno.remove(stage, { recursive: true });
  }
}

/** Reads and validates `--embed-config FILE`. */
export async function readEmbeddedConfig(file: string): Promise<EmbeddedConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw new WeepError(`Cannot read config file "${file}" to embed: ${errorText(error)}`, { cause: error });
  }
  return validateEmbeddedConfig(text, file);
}

/** Builds every requested target; returns the files made (binaries, archives, `SHA256SUMS`). */
export async function compileTargets(options: CompileOptions, deps: CompileDeps): Promise<string[]> {
  const os = Deno.build.os;
  const embedded = options.embedConfig === undefined
    ? undefined
    : await readEmbeddedConfig(options.embedConfig);
  for (const warning of embedded?.warnings ?? []) deps.output.warn(warning);
  const date = buildDate(deps.env("SOURCE_DATE_EPOCH"), deps.now());
  const commit = await gitCommit(deps.root, deps.run);
  if (commit === "") deps.output.warn("No git commit found; the binaries will not say which commit they are");
  const info = buildInfoFor({
    commit,
    date,
    artifact: embedded ? "org" : "release",
    embedded: embedded && { name: embedded.name, text: embedded.text },
  });
  await Deno.mkdir(options.out, { recursive: true });
  const made: string[] = [];
  const sums: { name: string; sha256: string }[] = [];
  await withBuildTree(deps.root, info, async (staged) => {
    for (const target of options.targets) {
      deps.signal?.throwIfAborted();
      const tos = targetOs(target);
      const mtls = embedded ? embeddedReadPaths(embedded, tos) : { read: [], notes: [] };
      for (const note of mtls.notes) deps.output.warn(`${target}: ${note}`);
      const permissions = permissionSetFor(
        embedded ? { kind: "org", os: tos, extraRead: mtls.read } : { kind: "release", os: tos },
      );
      const binary = joinPath(os, options.out, binaryName(VERSION, target));
      deps.output.info(`Building ${binaryName(VERSION, target)}`);
      await compileBinary(
        deps,
        compileArgv({ root: staged, target, output: binary, permissions }),
        target,
      );
      const archive = joinPath(os, options.out, archiveName(VERSION, target));
      deps.signal?.throwIfAborted();
      await packArchive(deps, binary, archive, target, date);
      sums.push({
        name: archiveName(VERSION, target),
        sha256: await sha256Hex(await Deno.readFile(archive)),
      });
      made.push(binary, archive);
    }
  });
  const sumsFile = joinPath(os, options.out, "SHA256SUMS");
  await Deno.writeTextFile(sumsFile, checksumsText(sums));
  made.push(sumsFile);
  return made;
}

/** Runs `deno task compile` with `args`; returns the exit code. */
export async function main(args: string[], output: Output): Promise<number> {
  const controller = new AbortController();
  // Ctrl-C reaches deno compile too; stay alive so the staging copy is removed before exiting.
  const onInterrupt = () => controller.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    const options = parseCompileArgs(args);
    if (options.help) {
      output.stdout(COMPILE_USAGE);
      return 0;
    }
    // A binary runs the committed bundle of the credential_process start: never a stale one.
    await requireFreshBundle(ROOT);
    // deno task runs in the repository: take relative paths from where the user ran it.
    const initCwd = Deno.env.get("INIT_CWD");
    if (initCwd) Deno.chdir(initCwd);
    if (!isAbsolutePath(options.out, Deno.build.os)) {
      options.out = joinPath(Deno.build.os, Deno.cwd(), options.out);
    }
    const made = await compileTargets(options, {
      root: ROOT,
      run: runProgram,
      output,
      now: () => new Date(),
      env: (name) => Deno.env.get(name),
      signal: controller.signal,
    });
    for (const file of made) output.stdout(file + "\n");
    return 0;
  } catch (error) {
    if (controller.signal.aborted) {
      output.error("Interrupted; the staging copy was removed");
      return 130;
    }
    if (error instanceof WeepError) {
      output.error(error.message, error.hints);
      return error.exitCode;
    }
    output.error(errorText(error));
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args, new Output(processSinks())));
}
