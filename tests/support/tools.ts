/**
 * One way to find the real programs the tests drive: Python with botocore, boto3 and moto, AWS CLI v1 and v2,
 * the shells, Go with the AWS SDK for Go v2, openssl, shellcheck, unzip and tmux.
 *
 * Every candidate on `PATH` is tried in order, not just the first (under `npx`, `PATH` starts with Node's own
 * directory, whose `python3` may lack botocore), then the usual install locations. The first candidate that
 * passes the tool's probe wins, and the choice is printed once on stderr. A missing tool makes a test skip with
 * the reason printed, or fail under `WEEP_REQUIRE_INTEROP=1` ({@linkcode requireTool}); no test skips another way.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes one line to stderr (tests may not use `console`). */
export function note(line: string): void {
  Deno.stderr.writeSync(encoder.encode(`${line}\n`));
}

/**
 * Whether an interop test may run: true when `found` is truthy. Otherwise it prints why the test skips, or
 * throws when `WEEP_REQUIRE_INTEROP=1` (CI must not silently skip the real clients).
 */
export function requireInterop(what: string, found: unknown, reason = "not installed"): boolean {
  if (found) return true;
  const message = `${what} is not available: ${reason}`;
  if (Deno.env.get("WEEP_REQUIRE_INTEROP") === "1") throw new Error(`${message} (WEEP_REQUIRE_INTEROP=1)`);
  note(`skipping: ${message}`);
  return false;
}

/** The tools the tests know how to find. */
export type ToolName =
  | "python3"
  | "python3 with botocore"
  | "python3 with boto3 and moto"
  | "AWS CLI v1"
  | "AWS CLI v2"
  | "bash"
  | "dash"
  | "zsh"
  | "ksh"
  | "fish"
  | "go with the AWS SDK for Go v2"
  | "openssl"
  | "shellcheck"
  | "unzip"
  | "tmux";

/** What a probe learned of one candidate: the path to use (it may resolve a shim), or why it does not fit. */
type ProbeResult = { path: string } | { reason: string };

interface ToolSpec {
  /** Executable names, tried in this order in each directory. */
  names: string[];
  /** Runs the candidate to see whether it is the tool asked for. */
  probe(path: string): Promise<ProbeResult>;
}

/** Runs `path args…` with no stdin; its exit code and output, or why it could not start. */
export async function runTool(
  path: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string } | { failed: string }> {
  try {
    const out = await new Deno.Command(path, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      ...options,
    }).output();
    return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
  } catch (error) {
    return { failed: (error as Error).message };
  }
}

/** The last non-empty line of `text`, shortened: what a failed probe says. */
function lastLine(text: string): string {
  const line = text.trim().split("\n").filter(Boolean).pop() ?? "no output";
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

/** A Python interpreter that can import `modules`; its `sys.executable`, so that no shim or PATH stands between. */
function python(modules: string[]): ToolSpec {
  const imports = modules.length > 0 ? `import ${modules.join(", ")}; ` : "";
  return {
    names: ["python3"],
    async probe(path) {
      const out = await runTool(path, ["-c", `${imports}import sys; print(sys.executable)`]);
      if ("failed" in out) return { reason: out.failed };
      if (out.code !== 0) return { reason: lastLine(out.stderr) };
      const executable = out.stdout.trim();
      return { path: executable || path };
    },
  };
}

/** A program whose `args` output starts with `prefix`. */
function versioned(names: string[], args: string[], prefix = ""): ToolSpec {
  return {
    names,
    async probe(path) {
      const out = await runTool(path, args);
      if ("failed" in out) return { reason: out.failed };
      const text = (out.stdout + out.stderr).trim();
      if (out.code !== 0) return { reason: lastLine(text) };
      if (!text.startsWith(prefix)) return { reason: `it says ${JSON.stringify(lastLine(text))}` };
      return { path };
    },
  };
}

/** A shell that runs `-c` scripts. */
function shell(names: string[]): ToolSpec {
  return {
    names,
    async probe(path) {
      const out = await runTool(path, ["-c", "echo weep-shell-ok"]);
      if ("failed" in out) return { reason: out.failed };
      return out.stdout.trim() === "weep-shell-ok" ? { path } : { reason: lastLine(out.stderr) };
    },
  };
}

/** Where Go looks for packages in GOPATH mode: `$GOPATH`, then Debian's `golang-*-dev` packages. */
export function goPaths(): string[] {
  const env = (Deno.env.get("GOPATH") ?? "").split(":").filter(Boolean);
  return [...env, "/usr/share/gocode"];
}

/** Go, with the AWS SDK for Go v2 in one of {@linkcode goPaths} (Debian: golang-github-aws-aws-sdk-go-v2-dev). */
function goWithSdk(): ToolSpec {
  const go = versioned(["go"], ["version"], "go version go1.");
  return {
    names: go.names,
    async probe(path) {
      const verdict = await go.probe(path);
      if (!("path" in verdict)) return verdict;
      for (const root of goPaths()) {
        const sdk = `${root}/src/github.com/aws/aws-sdk-go-v2/config`;
        if (await Deno.stat(sdk).then((info) => info.isDirectory, () => false)) return verdict;
      }
      return { reason: `the AWS SDK for Go v2 is in none of ${goPaths().join(", ")}` };
    },
  };
}

const SPECS: Record<ToolName, ToolSpec> = {
  "python3": python(["ssl", "http.server", "shlex"]),
  "python3 with botocore": python(["botocore.auth", "botocore.configloader", "botocore.compat"]),
  "python3 with boto3 and moto": python(["boto3", "moto.server"]),
  "AWS CLI v1": versioned(["aws"], ["--version"], "aws-cli/1."),
  "AWS CLI v2": versioned(["aws"], ["--version"], "aws-cli/2."),
  "bash": shell(["bash"]),
  "dash": shell(["dash"]),
  "zsh": shell(["zsh"]),
  "ksh": shell(["ksh", "ksh93"]),
  "fish": shell(["fish"]),
  "go with the AWS SDK for Go v2": goWithSdk(),
  "openssl": versioned(["openssl"], ["version"]),
  "shellcheck": versioned(["shellcheck"], ["--version"]),
  "unzip": versioned(["unzip"], ["-v"]),
  "tmux": versioned(["tmux"], ["-V"], "tmux "),
};

/** The environment a search reads: `PATH`, `HOME`, `PYENV_ROOT`. */
export type SearchEnv = Partial<Record<"PATH" | "HOME" | "PYENV_ROOT", string>>;

/** Where tools are installed when they are not on PATH: system, Homebrew, pip's user base, pyenv, Go. */
async function usualDirectories(env: SearchEnv): Promise<string[]> {
  const home = env.HOME;
  const pyenv = env.PYENV_ROOT ?? (home ? `${home}/.pyenv` : undefined);
  const dirs = [
    "/usr/local/bin",
    "/usr/bin",
    "/bin",
    "/opt/homebrew/bin",
    "/usr/lib/go/bin",
    "/usr/local/go/bin",
  ];
  if (home) dirs.push(`${home}/.local/bin`);
  if (pyenv) {
    dirs.push(`${pyenv}/shims`);
    try {
      const versions: string[] = [];
      for await (const entry of Deno.readDir(`${pyenv}/versions`)) versions.push(entry.name);
      // Newest first: "3.11.7" before "3.10.13" before "2.7.18".
      versions.sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
      for (const version of versions) dirs.push(`${pyenv}/versions/${version}/bin`);
    } catch {
      // No pyenv versions here.
    }
  }
  return dirs;
}

/** Every existing executable candidate for `spec`: PATH order first, then the usual locations, without repeats. */
async function candidates(spec: ToolSpec, env: SearchEnv): Promise<string[]> {
  const pathDirs = (env.PATH ?? "").split(":").filter(Boolean);
  const seen = new Set<string>();
  const found: string[] = [];
  for (const dir of [...pathDirs, ...await usualDirectories(env)]) {
    for (const name of spec.names) {
      const path = `${dir}/${name}`;
      let real: string;
      try {
        const info = await Deno.stat(path);
        if (!info.isFile || ((info.mode ?? 0o111) & 0o111) === 0) continue;
        real = await Deno.realPath(path);
      } catch {
        continue;
      }
      // One probe per program: /bin/x and /usr/bin/x are often the same file. Shims are kept apart, as
      // each may lead to a different program.
      const key = dir.endsWith("/shims") ? path : real;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(path);
    }
  }
  return found;
}

/** What looking for a tool found: the path to run and the candidate it came from, or why there is none. */
export type Found = { path: string; candidate: string; rejected: string[] } | { reason: string };

/** Tries every candidate for `name` in order (PATH, then the usual locations); the first that fits wins. */
export async function searchTool(name: ToolName, env: SearchEnv): Promise<Found> {
  const spec = SPECS[name];
  const rejected: string[] = [];
  for (const candidate of await candidates(spec, env)) {
    const verdict = await spec.probe(candidate);
    if ("path" in verdict) return { path: verdict.path, candidate, rejected };
    rejected.push(`${candidate}: ${verdict.reason}`);
  }
  return {
    reason: rejected.length === 0
      ? `no ${spec.names.join(" or ")} on PATH or in the usual install locations`
      : `no candidate fits (${rejected.join("; ")})`,
  };
}

const found = new Map<ToolName, Promise<Found>>();
let announce = true;

/** Stops the "using …" lines on stderr, for scripts (the demo, the bench) that show their own choice. */
export function quietTools(): void {
  announce = false;
}

/** Looks for `name` once per process, in this process's environment; prints the choice on stderr. */
export function findTool(name: ToolName): Promise<Found> {
  let result = found.get(name);
  if (result === undefined) {
    const env: SearchEnv = {};
    for (const key of ["PATH", "HOME", "PYENV_ROOT"] as const) {
      const value = Deno.env.get(key);
      if (value !== undefined) env[key] = value;
    }
    result = searchTool(name, env).then((tool) => {
      if ("path" in tool && announce) {
        const via = tool.path === tool.candidate ? "" : ` (via ${tool.candidate})`;
        const passed = tool.rejected.length === 0 ? "" : `; passed over ${tool.rejected.join("; ")}`;
        note(`using ${name}: ${tool.path}${via}${passed}`);
      }
      return tool;
    });
    found.set(name, result);
  }
  return result;
}

/**
 * The path of tool `name`, or undefined after {@linkcode requireInterop} has printed why the test skips (or
 * thrown, under `WEEP_REQUIRE_INTEROP=1`).
 */
export async function requireTool(name: ToolName): Promise<string | undefined> {
  const result = await findTool(name);
  if ("path" in result) return result.path;
  requireInterop(name, false, result.reason);
  return undefined;
}

/** The path of tool `name`, or undefined; never skips or fails (for code that only reports what it found). */
export async function toolPath(name: ToolName): Promise<string | undefined> {
  const result = await findTool(name);
  return "path" in result ? result.path : undefined;
}
