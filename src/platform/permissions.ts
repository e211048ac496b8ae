/**
 * weep's Deno permission sets, defined once. `deno task weep`, `deno task install`, the compile script and the
 * tests that spawn the CLI all take their flags from here; nobody writes a permission flag by hand elsewhere.
 *
 * Deno fixes permission paths when a binary is compiled (relative paths resolve against the working directory at
 * launch; `~` and `$HOME` are not expanded), so the set depends on who the artifact is for:
 *
 * - `source` and `install`: one user's AWS directory and the AWS files their environment names, exactly.
 * - `release`: nobody's home is known at build time, so read and write cover the OS's home roots (`/home`,
 *   `/Users`, `C:\Users`, ...). At startup {@linkcode narrowToUser} drops the roots that hold none of this
 *   user's files: Deno can remove a listed path, but cannot narrow a grant to a path below it.
 * - `org`: the release set plus, read-only, the mTLS directories and certificate paths of the embedded config.
 *
 * Every set: the environment variables weep reads, the platform URL openers, hostname and OS release, network.
 *
 * @module
 */

import { isAbsolutePath, type WeepPaths } from "./paths.ts";

export { isAbsolutePath };
import { tempPathFor } from "./files.ts";

export { tempPathFor };

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

/** Who an artifact is built for; decides its permission set. */
export type ArtifactKind = "source" | "install" | "release" | "org";

/** The operating systems weep is built for (`Deno.build.os` values). */
export type TargetOs = "linux" | "darwin" | "windows";

/**
 * The environment variables weep reads, and nothing more (a test checks each is read). Deno honours
 * `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` for every request without a grant.
 */
export const ENV_VARS: readonly string[] = [
  "HOME",
  "USERPROFILE",
  "PATH",
  "SHELL",
  "NO_COLOR",
  "AWS_*",
  "WEEP_*",
  "WSL_DISTRO_NAME",
  "DISPLAY",
  "WAYLAND_DISPLAY",
];

/** The programs weep may start: the platform URL openers. */
export const URL_OPENERS: readonly string[] = ["xdg-open", "wslview", "open", "cmd"];

/** System information weep reads (`info`, WSL detection, and the user ID its state files must belong to). */
export const SYS_INFO: readonly string[] = ["hostname", "osRelease", "uid"];

/** Where each OS keeps home directories: what a release binary may read and write. */
export const HOME_ROOTS: Readonly<Record<TargetOs, readonly string[]>> = {
  linux: ["/home", "/var/home", "/root"],
  darwin: ["/Users", "/var/root", "/private/var/root"],
  windows: ["C:\\Users"],
};

/** Whether `path` is `dir` or below it (Windows paths compare without case). */
export function isInside(path: string, dir: string, os: string = Deno.build.os): boolean {
  const norm = (p: string) => {
    const slashed = p.replaceAll("\\", "/").replace(/\/+$/, "");
    return os === "windows" ? slashed.toLowerCase() : slashed;
  };
  return norm(path) === norm(dir) || norm(path).startsWith(norm(dir) + "/");
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function common(): Pick<PermissionSet, "env" | "run" | "sys" | "net"> {
  return { env: [...ENV_VARS], run: [...URL_OPENERS], sys: [...SYS_INFO], net: true };
}

/** What a user's permission set adds to their AWS directory and files. */
export interface UserGrants {
  /** Read-only paths, for example mTLS certificate directories. */
  extraRead?: readonly string[];
  /** The files the AWS config and credentials files link to (see {@linkcode awsLinkTargets}). */
  linkTargets?: readonly string[];
}

/**
 * The permission set for one user: their AWS directory, the AWS files their environment names and the files
 * those link to (each with its temporary file), and `extraRead`.
 */
export function userPermissionSet(paths: WeepPaths, options: UserGrants = {}): PermissionSet {
  const files = [paths.configFile, paths.credentialsFile, ...(options.linkTargets ?? [])]
    .filter((file) => !isInside(file, paths.awsDir));
  const outside = unique(files).flatMap((file) => [file, tempPathFor(file)]);
  return {
    read: unique([paths.awsDir, ...outside, ...(options.extraRead ?? [])]),
    write: [paths.awsDir, ...outside],
    ...common(),
  };
}

/** The permission set of a release binary for `os`: read and write under the home roots, `extraRead` read-only. */
export function releasePermissionSet(
  os: TargetOs,
  options: { extraRead?: readonly string[] } = {},
): PermissionSet {
  const roots = HOME_ROOTS[os];
  const extra = (options.extraRead ?? []).filter((path) => !roots.some((root) => isInside(path, root, os)));
  return { read: unique([...roots, ...extra]), write: [...roots], ...common() };
}

/**
 * The files the AWS config and credentials files are symbolic links to (dotfile managers keep them in a
 * repository), resolved now: Deno checks a link's target against the permission set, so both are granted.
 * A link that leads nowhere yet adds nothing.
 */
export function awsLinkTargets(paths: Pick<WeepPaths, "configFile" | "credentialsFile">): string[] {
  const targets: string[] = [];
  for (const file of [paths.configFile, paths.credentialsFile]) {
    try {
      if (Deno.lstatSync(file).isSymlink) targets.push(Deno.realPathSync(file));
    } catch {
      // Missing, dangling or unreadable: nothing to grant.
    }
  }
  return unique(targets);
}

/** What decides an artifact's permission set. */
export type PermissionTarget =
  | ({ kind: "source" | "install"; paths: WeepPaths } & UserGrants)
  | { kind: "release"; os: TargetOs }
  | { kind: "org"; os: TargetOs; extraRead: readonly string[] };

/** The permission set for an artifact kind: the one place that decides what each artifact may touch. */
export function permissionSetFor(target: PermissionTarget): PermissionSet {
  switch (target.kind) {
    case "source":
    case "install":
      return userPermissionSet(target.paths, target);
    case "release":
      return releasePermissionSet(target.os);
    case "org":
      return releasePermissionSet(target.os, { extraRead: target.extraRead });
  }
}

/**
 * The Deno command-line flags for a permission set (with `--no-prompt`: a denial is an error, never a question).
 * Throws for a path with a comma: Deno's lists are comma-separated and have no escape for it.
 */
export function permissionFlags(set: PermissionSet): string[] {
  const list = (kind: string, values: readonly string[]) => {
    for (const value of values) {
      if (value.includes(",")) {
        throw new Error(
          `Cannot grant ${kind} access to "${value}": Deno permission lists cannot hold a comma`,
        );
      }
    }
    return unique(values).join(",");
  };
  const flag = (kind: string, values: readonly string[]) =>
    values.length ? [`--allow-${kind}=${list(kind, values)}`] : [];
  return [
    "--no-prompt",
    "--allow-net",
    ...flag("read", set.read),
    ...flag("write", set.write),
    ...flag("env", set.env),
    ...flag("run", set.run),
    ...flag("sys", set.sys),
  ];
}

/** The mTLS settings that name files weep reads (a validated config layer's `mtls_settings`). */
export interface MtlsPathSettings {
  certs?: readonly string[];
  keys?: readonly string[];
  cert?: string;
  key?: string;
  catrust?: string;
  darwin?: readonly string[];
  linux?: readonly string[];
  windows?: readonly string[];
}

/**
 * The paths an mTLS configuration makes weep read on `os`: the `mtls_settings.<os>` directories (with `$HOME`
 * replaced by `home` when it is known) and the certificate, key and CA paths given as absolute paths. `notes`
 * says what cannot be granted ahead of time and why.
 */
export function mtlsReadPaths(
  settings: MtlsPathSettings,
  os: TargetOs,
  home?: string,
): { read: string[]; notes: string[] } {
  const read: string[] = [];
  const notes: string[] = [];
  for (const dir of settings[os] ?? []) {
    if (dir.includes("$HOME")) {
      if (home !== undefined) read.push(dir.replaceAll("$HOME", home));
      else if (/^\$HOME([\\/]|$)/.test(dir)) notes.push(`"${dir}" is covered by the home directories`);
      else notes.push(`mTLS directory "${dir}" is not granted: $HOME is only known at run time`);
    } else if (isAbsolutePath(dir, os)) {
      read.push(dir);
    } else {
      notes.push(
        `mTLS directory "${dir}" is not granted: a relative directory depends on the working directory`,
      );
    }
  }
  const files = [
    ...(settings.certs ?? []),
    settings.cert,
    ...(settings.keys ?? []),
    settings.key,
    settings.catrust,
  ];
  for (const file of files) {
    if (!file) continue;
    if (isAbsolutePath(file, os)) read.push(file);
    else if (/[\\/]/.test(file)) {
      notes.push(`mTLS file "${file}" is not granted: a relative path depends on the working directory`);
    }
  }
  return { read: unique(read), notes };
}

/**
 * Drops the home roots (see {@linkcode HOME_ROOTS}) that hold none of this user's files, so a release binary
 * keeps only the root its user lives under. Returns the roots dropped. Safe in any build: revoking a listed root
 * never touches a grant below it, and is a no-op under a broader grant.
 */
export async function narrowToUser(paths: WeepPaths, os: string = Deno.build.os): Promise<string[]> {
  const roots = HOME_ROOTS[os as TargetOs] ?? [];
  const needed = [paths.home, paths.configFile, paths.credentialsFile];
  const dropped: string[] = [];
  for (const root of roots) {
    if (needed.some((path) => isInside(path, root, os))) continue;
    await Deno.permissions.revoke({ name: "read", path: root });
    await Deno.permissions.revoke({ name: "write", path: root });
    dropped.push(root);
  }
  return dropped;
}

/** One row of the permission table: what an artifact may touch. */
export interface PermissionRow {
  kind: ArtifactKind;
  artifact: string;
  read: string;
  write: string;
  run: string;
  reach: string;
}

/** weep's entry point, as path parts under the project root: the module `deno run` and `deno compile` start. */
export const ENTRY_POINT: readonly string[] = ["src", "cli", "main.ts"];

/**
 * The `deno` arguments that run weep from a source checkout at `root` under `set`: the project's config and
 * lockfile (frozen), and modules loaded on demand (`--unstable-lazy-dynamic-imports`), so that a credential
 * cache hit does not load the command tree. Loading on demand needs read access to weep's own `src/`, which is
 * added read-only. Used by `deno task weep`, the `--shim` install, the demo, the benchmarks and the tests.
 */
export function sourceRunArgv(root: string, set: PermissionSet, os: string = Deno.build.os): string[] {
  const sep = os === "windows" ? "\\" : "/";
  const code = `${root}${sep}src`;
  return [
    "run",
    "--quiet",
    "--frozen",
    "--unstable-lazy-dynamic-imports",
    "--config",
    `${root}${sep}deno.json`,
    ...permissionFlags({ ...set, read: unique([...set.read, code]) }),
    [root, ...ENTRY_POINT].join(sep),
  ];
}

/** What each artifact may read, write, run and reach, in words (for `weep info` and docs/permissions.md). */
export function permissionTable(): PermissionRow[] {
  const code = (values: readonly string[]) => values.map((value) => `\`${value}\``).join(", ");
  const run = code(URL_OPENERS);
  const reach = "any host";
  const awsFiles =
    "the files `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` name, and the files your AWS " +
    "config and credentials files are links to (each with its `.weep-tmp` file)";
  const roots = `Linux ${code(HOME_ROOTS.linux)}; macOS ${code(HOME_ROOTS.darwin)}; Windows ${
    code(HOME_ROOTS.windows)
  }. At startup weep drops the roots that hold none of your files`;
  return [
    {
      kind: "source",
      artifact: "From source: `deno task weep`, the tests",
      read:
        `\`~/.aws\`; ${awsFiles}; directories a test adds; weep's own \`src/\` (its code, loaded on demand)`,
      write: `\`~/.aws\`; ${awsFiles}`,
      run,
      reach,
    },
    {
      kind: "install",
      artifact: "`deno task install`: a binary compiled on your machine, or a `--shim` script",
      read:
        `Your \`~/.aws\`; ${awsFiles} when you installed; the mTLS directories and absolute certificate ` +
        "paths of your `~/.aws/weep/weep.yaml` then; a `--shim` also reads weep's own `src/` (its code)",
      write: `Your \`~/.aws\`; ${awsFiles} when you installed`,
      run,
      reach,
    },
    {
      kind: "release",
      artifact: "Release archives (built by CI for everyone)",
      read: `Under the home roots: ${roots}`,
      write: "The same as read",
      run,
      reach,
    },
    {
      kind: "org",
      artifact: "Org builds: `deno task compile --embed-config FILE`",
      read:
        "As release, plus (read-only) the `mtls_settings.<os>` directories and absolute `certs`, `keys` and " +
        "`catrust` paths of the embedded config",
      write: "As release",
      run,
      reach,
    },
  ];
}

/** Renders {@linkcode permissionTable} as a Markdown table; `current` marks the row of the running weep. */
export function renderPermissionTable(
  rows: PermissionRow[] = permissionTable(),
  current?: ArtifactKind,
): string {
  const lines = [
    "| Artifact | Read | Write | Run | Reach |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((row) =>
      `| ${row.artifact}${
        row.kind === current ? " (this weep)" : ""
      } | ${row.read} | ${row.write} | ${row.run} | ` +
      `${row.reach} |`
    ),
  ];
  const note =
    `Every artifact may also read the environment variables ${ENV_VARS.map((v) => `\`${v}\``).join(", ")} ` +
    `and the system information ${SYS_INFO.map((v) => `\`${v}\``).join(", ")}. Prompts are off: a denied ` +
    "access is an error that names the path.";
  return lines.join("\n") + "\n\n" + note + "\n";
}
