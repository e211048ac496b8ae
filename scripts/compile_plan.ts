/**
 * Everything `deno task compile` and `deno task install` decide before touching a file: targets, the exact
 * `deno compile` command line per target, output and archive names, the checksum file, the build metadata and
 * what a failed compile means. Pure; `scripts/compile.ts` is the I/O around it.
 *
 * @module
 */

import { parseLayer } from "../src/config/load.ts";
import { UsageError, WeepError } from "../src/errors.ts";
import {
  ENTRY_POINT,
  type MtlsPathSettings,
  mtlsReadPaths,
  permissionFlags,
  type PermissionSet,
  type TargetOs,
} from "../src/platform/permissions.ts";
import type { BuildInfo } from "../src/version.ts";

/** The targets weep is released for. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** A release target (a Rust target triple that `deno compile --target` accepts). */
export type Target = typeof TARGETS[number];

/** Whether `value` is one of {@linkcode TARGETS}. */
export function isTarget(value: string): value is Target {
  return (TARGETS as readonly string[]).includes(value);
}

/** The operating system a target runs on. */
export function targetOs(target: Target): TargetOs {
  if (target.endsWith("-windows-msvc")) return "windows";
  if (target.endsWith("-apple-darwin")) return "darwin";
  return "linux";
}

/** The target of the machine running Deno, or an error naming it when weep is not built for it. */
export function hostTarget(target: string = Deno.build.target): Target {
  if (!isTarget(target)) {
    throw new WeepError(
      `Cannot build for this machine ("${target}"): weep is built for ${TARGETS.join(", ")}`,
    );
  }
  return target;
}

/** The compiled binary's file name: `weep-<version>-<target>` (`.exe` for Windows). */
export function binaryName(version: string, target: Target): string {
  return `weep-${version}-${target}${targetOs(target) === "windows" ? ".exe" : ""}`;
}

/** The release archive's file name: `.zip` for Windows, `.tar.gz` elsewhere. */
export function archiveName(version: string, target: Target): string {
  return `weep-${version}-${target}${targetOs(target) === "windows" ? ".zip" : ".tar.gz"}`;
}

/** The name of the binary inside an archive: what users extract and put on PATH. */
export function archiveMember(target: Target): string {
  return targetOs(target) === "windows" ? "weep.exe" : "weep";
}

/** What one `deno compile` run needs. */
export interface CompileArgvInput {
  /** The root to build from (with `deno.json`, `deno.lock`, `src/`), such as a staging copy of the repository. */
  root: string;
  target: Target;
  /** The binary to write. */
  output: string;
  /** The permission set baked into the binary. */
  permissions: PermissionSet;
}

/**
 * The `deno` arguments that compile weep: frozen lockfile, the project's config, the permission flags of the set
 * (with `--no-prompt`), the target and output. No `--include` is needed: weep's imports are static or dynamic
 * with literal specifiers (which deno compile follows), and the build metadata and embedded config come in
 * through the JSON import of `src/build_info.json`.
 */
export function compileArgv(input: CompileArgvInput): string[] {
  return [
    "compile",
    "--frozen",
    "--config",
    `${input.root}/deno.json`,
    ...permissionFlags(input.permissions),
    "--target",
    input.target,
    "--output",
    input.output,
    [input.root, ...ENTRY_POINT].join("/"),
  ];
}

/** The `tar` arguments that pack `member` from `dir` into a gzipped `archive` (a name in the working directory). */
export function tarArgv(archive: string, dir: string, member: string): string[] {
  return ["-czf", archive, "-C", dir, member];
}

/** The text of a `SHA256SUMS` file (`sha256sum -c` format), sorted by file name. */
export function checksumsText(entries: readonly { name: string; sha256: string }[]): string {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => `${entry.sha256}  ${entry.name}\n`)
    .join("");
}

/** Formats a date as RFC 3339 UTC without fractional seconds. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The build time: `SOURCE_DATE_EPOCH` (seconds) when set, for reproducible builds, else `now`. */
export function buildDate(sourceDateEpoch: string | undefined, now: Date): Date {
  return sourceDateEpoch && /^\d+$/.test(sourceDateEpoch) ? new Date(Number(sourceDateEpoch) * 1000) : now;
}

/** The build metadata written to `src/build_info.json` for a build. */
export function buildInfoFor(input: {
  commit: string;
  date: Date;
  artifact: "install" | "release" | "org";
  embedded?: { name: string; text: string } | undefined;
}): BuildInfo {
  return {
    commit: input.commit,
    date: rfc3339(input.date),
    embeddedConfigName: input.embedded?.name ?? "",
    embeddedConfig: input.embedded?.text ?? "",
    artifact: input.artifact,
  };
}

/** A validated configuration to embed: its values (for the permission set) and warnings for the builder. */
export interface EmbeddedConfig {
  /** The file's base name, reported by `weep version`. */
  name: string;
  text: string;
  values: Record<string, unknown>;
  warnings: string[];
}

/** Validates a configuration to embed with weep's own schema; throws the message weep would print for it. */
export function validateEmbeddedConfig(text: string, file: string): EmbeddedConfig {
  const warnings: string[] = [];
  const values = parseLayer(text, file, warnings);
  const name = file.split(/[\\/]/).pop() ?? file;
  return { name, text, values, warnings };
}

/** The read-only paths an embedded configuration's mTLS settings add for `os`, and notes on what they cannot. */
export function embeddedReadPaths(config: EmbeddedConfig, os: TargetOs): { read: string[]; notes: string[] } {
  const mtls = (config.values.mtls_settings ?? {}) as MtlsPathSettings;
  return mtlsReadPaths(mtls, os);
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** `text` without terminal colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

// The context deno compile gives a failed runtime fetch, and the fetch error itself.
const RUNTIME_DOWNLOAD = /Setting up base binary|error sending request for url \([^)]*denort/;

/** What a failed `deno compile` means, for the user: message and hints. */
export function explainCompileFailure(target: string, stderr: string): WeepError {
  // deno prints colours and a Rust-style cause chain: "Caused by:\n    0: Setting up base binary.\n    1: ..."
  const text = stripAnsi(stderr);
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  if (RUNTIME_DOWNLOAD.test(text)) {
    const cause = lines.find((line) => /^1: /.test(line))?.replace(/^1: /, "");
    return new WeepError(
      `Cannot build weep for "${target}": deno compile could not download its runtime (denort)`,
      {
        hints: [
          ...(cause ? [`deno said: ${cause}`] : []),
          "deno compile downloads the runtime of each target on first use; build where it can reach the Deno " +
          "release downloads (GitHub Actions runners can), or set DENORT_BIN to a denort binary of the same Deno " +
          "version for this target",
        ],
      },
    );
  }
  // Keep deno's own error: from the first type error or "error:" line on, without progress and file listings.
  const first = lines.findIndex((line) => /\[ERROR\]|^error:/.test(line));
  const error = (first >= 0 ? lines.slice(first) : lines.slice(-12)).filter((line) =>
    !/^(Info|Check|Compile|Download|Stack backtrace)\b|^\d+: <unknown>$|^[\u2502\u251c\u2514]/.test(line)
  );
  return new WeepError(`Cannot build weep for "${target}": deno compile failed`, {
    hints: error.length ? error.slice(0, 20) : ["deno compile exited without saying why"],
  });
}

/** Whether a `deno compile` failure was the runtime download (so an installer may fall back to a shim). */
export function isRuntimeDownloadFailure(stderr: string): boolean {
  return RUNTIME_DOWNLOAD.test(stripAnsi(stderr));
}

/** The options of `deno task compile`. */
export interface CompileOptions {
  targets: Target[];
  embedConfig?: string | undefined;
  out: string;
  help: boolean;
}

/** The usage text of `deno task compile`. */
export const COMPILE_USAGE =
  `Usage: deno task compile [--target TARGET|host|all] [--embed-config FILE] [--out DIR]

Builds weep binaries with deno compile, archives them and writes SHA256SUMS.

  --target TARGET     "host" (the default) for this machine, "all" for every target, or one of
${TARGETS.map((target) => `                        ${target}`).join("\n")}
  --embed-config FILE bake FILE into the binaries as their base configuration (an org build)
  --out DIR           where to write binaries, archives and SHA256SUMS (default: dist)
`;

/** Parses `deno task compile` arguments; `host` is this machine's target. */
export function parseCompileArgs(args: readonly string[], host: string = Deno.build.target): CompileOptions {
  const options: CompileOptions = { targets: [], out: "dist", help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const eq = arg.indexOf("=");
    const [name, inline] = arg.startsWith("--") && eq > 0
      ? [arg.slice(0, eq), arg.slice(eq + 1)]
      : [arg, undefined];
    const value = () => {
      const next = inline ?? args[++i];
      if (next === undefined || next === "") throw new UsageError(`Option "${name}" needs a value`);
      return next;
    };
    switch (name) {
      case "--target": {
        const target = value();
        if (target === "all") { for (const each of TARGETS) options.targets.push(each); }
        else if (target === "host") options.targets.push(hostTarget(host));
        else if (isTarget(target)) options.targets.push(target);
        else {throw new UsageError(
            `Unknown target "${target}": use one of ${TARGETS.join(", ")}, host or all`,
          );}
        break;
      }
      case "--embed-config":
        options.embedConfig = value();
        break;
      case "--out":
        options.out = value();
        break;
      case "-h":
      case "--help":
        options.help = true;
        break;
      default:
        throw new UsageError(`Unknown argument "${arg}"`, {
          hints: ["Run 'deno task compile --help' for usage"],
        });
    }
  }
  if (options.help) return options;
  if (options.targets.length === 0) options.targets.push(hostTarget(host));
  options.targets = [...new Set(options.targets)];
  return options;
}

/** The file system path of a `file:` URL on `os` (`file:///C:/x` is `C:\x` on Windows). */
export function fileUrlToPath(url: URL, os: string = Deno.build.os): string {
  const path = decodeURIComponent(url.pathname);
  if (os !== "windows") return path.replace(/(.)\/+$/, "$1");
  const local = /^\/[A-Za-z]:/.test(path) ? path.slice(1) : url.host ? `//${url.host}${path}` : path;
  return local.replaceAll("/", "\\").replace(/(.)\\+$/, "$1");
}
