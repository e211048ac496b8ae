/**
 * Whole-process timing for `deno task bench`: wall time and peak memory of one run, and medians.
 *
 * @module
 */

/** One run of a command: wall time and peak resident memory. */
export interface Sample {
  ms: number;
  /** Peak RSS in KiB; 0 when `/usr/bin/time` is missing. */
  rssKb: number;
}

const TIME = await (async () => {
  try {
    const probe = await new Deno.Command("/usr/bin/time", { args: ["-f", "%M", "true"], stderr: "piped" })
      .output();
    return probe.success ? "/usr/bin/time" : undefined;
  } catch {
    return undefined;
  }
})();

let pinned: string[] = [];

/**
 * Runs every measured command on CPU `cpu` (through `taskset`, where it exists): on a shared machine, timings
 * then compete with one core's load instead of the scheduler's moves. Returns whether pinning works.
 */
export async function pinTo(cpu: number): Promise<boolean> {
  try {
    const probe = await new Deno.Command("taskset", { args: ["-c", String(cpu), "true"], stderr: "null" })
      .output();
    if (probe.success) pinned = ["taskset", "-c", String(cpu)];
    return probe.success;
  } catch {
    return false;
  }
}

/**
 * Runs `cmd` once in exactly `env`; throws with its stderr when it fails. `pin: false` runs it on any CPU (many
 * processes started at once).
 */
export async function once(cmd: string[], env: Record<string, string>, pin = true): Promise<Sample> {
  const rssFile = await Deno.makeTempFile();
  const on = pin ? pinned : [];
  const [program, ...args] = [...on, ...(TIME ? [TIME, "-f", "%M", "-o", rssFile] : []), ...cmd];
  const started = performance.now();
  const result = await new Deno.Command(program!, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  })
    .output();
  const ms = performance.now() - started;
  const rssKb = Number((await Deno.readTextFile(rssFile)).trim().split("\n").pop()) || 0;
  await Deno.remove(rssFile);
  if (!result.success) throw new Error(`${cmd.join(" ")} failed: ${new TextDecoder().decode(result.stderr)}`);
  return { ms, rssKb };
}

/** The median of `xs` (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** Milliseconds as the tables print them: `21.3 ms`. */
export function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

/** A Markdown table from rows of cells, the first row being the header. */
export function table(rows: readonly (readonly string[])[]): string {
  return [rows[0]!, rows[0]!.map(() => "---"), ...rows.slice(1)].map((r) => `| ${r.join(" | ")} |`).join(
    "\n",
  );
}

/** What {@linkcode paired} measured: medians of each side and of the per-pair ratios `ours / theirs`. */
export interface PairedResult {
  oursMs: number;
  theirsMs: number;
  ratio: number;
  pairs: number;
  /** Median peak RSS of each side (KiB; 0 without `/usr/bin/time`) and the median per-pair ratio. */
  oursRssKb: number;
  theirsRssKb: number;
  rssRatio: number;
}

/**
 * Runs `ours` and `theirs` in `pairs` pairs, the order alternating, after three warm-up pairs: the median of
 * the per-pair ratio says whether `ours` is slower, with the machine's drift cancelled out.
 */
export async function paired(
  ours: string[],
  theirs: string[],
  env: Record<string, string>,
  pairs: number,
  before: () => Promise<void> = async () => {},
): Promise<PairedResult> {
  for (let i = 0; i < 3; i++) {
    await before();
    await once(theirs, env);
    await once(ours, env);
  }
  const xs: Sample[] = [];
  const ys: Sample[] = [];
  for (let i = 0; i < pairs; i++) {
    await before();
    if (i % 2 === 0) {
      xs.push(await once(ours, env));
      ys.push(await once(theirs, env));
    } else {
      ys.push(await once(theirs, env));
      xs.push(await once(ours, env));
    }
  }
  const ratios = (f: (s: Sample) => number) => median(xs.map((x, i) => f(x) / (f(ys[i]!) || 1)));
  return {
    oursMs: median(xs.map((x) => x.ms)),
    theirsMs: median(ys.map((y) => y.ms)),
    ratio: ratios((s) => s.ms),
    pairs,
    oursRssKb: median(xs.map((x) => x.rssKb)),
    theirsRssKb: median(ys.map((y) => y.rssKb)),
    rssRatio: ratios((s) => s.rssKb),
  };
}

/**
 * CPU time (user + system, seconds) of `count` runs of `cmd` started at once, and the wall time of the batch:
 * medians of `rounds` batches, `before` running ahead of each. Needs `/usr/bin/time` (else `undefined`).
 */
export async function burstCpu(
  cmd: string[],
  env: Record<string, string>,
  count: number,
  rounds: number,
  before: () => Promise<void> = async () => {},
): Promise<{ cpuS: number; wallMs: number } | undefined> {
  if (!TIME) return undefined;
  const [cpu, wall]: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    await before();
    // The shell waits for all of them, so its children's CPU time is theirs.
    const script = `for i in $(seq ${count}); do "$@" >/dev/null 2>&1 & done; wait`;
    const started = performance.now();
    const result = await new Deno.Command(TIME, {
      args: ["-f", "%U %S", "sh", "-c", script, "sh", ...cmd],
      env,
      clearEnv: true,
      stderr: "piped",
    }).output();
    wall.push(performance.now() - started);
    const [user, system] = new TextDecoder().decode(result.stderr).trim().split("\n").pop()!.split(" ");
    cpu.push(Number(user) + Number(system));
  }
  return { cpuS: median(cpu), wallMs: median(wall) };
}

/** One figure of the goal table: what was measured, against both floors, and its goal. */
export interface GoalRow {
  figure: string;
  /** weep's measurement, as printed (`22.1 ms`, `38 MiB`, `0.74 s`). */
  weep: string;
  /** Against a bare `deno run` of an empty module, and against one run with weep's own flags (`1.21×`). */
  bare: string;
  flags: string;
  /** The goal (`≤ 1.25× bare`), and the figure it is judged on. */
  goal: string;
  met: boolean;
}

/** The goal table as Markdown: each figure, both floors, its goal and whether this run met it. */
export function goalTable(goals: readonly GoalRow[]): string {
  return table([
    ["figure", "weep", "vs bare Deno", "vs Deno with weep's flags", "goal", "met"],
    ...goals.map((g) => [g.figure, g.weep, g.bare, g.flags, g.goal, g.met ? "yes" : "**no**"]),
  ]);
}

/** A ratio as the goal table prints it: `1.21×`. */
export function times(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/**
 * A checkout of weep to compare with: `spec` itself when it is a directory, else the git revision `spec` of
 * the repository at `root`, exported into a temporary directory (removed on dispose). `label` names it.
 */
export async function otherCheckout(
  spec: string,
  root: string,
): Promise<{ dir: string; label: string } & AsyncDisposable> {
  const isDir = await Deno.stat(spec).then((info) => info.isDirectory, () => false);
  if (isDir) {
    return { dir: await Deno.realPath(spec), label: spec, [Symbol.asyncDispose]: async () => {} };
  }
  const git = (args: string[]) =>
    new Deno.Command("git", { args, cwd: root, stdout: "piped", stderr: "piped" });
  const rev = await git(["rev-parse", "--short", spec]).output();
  if (!rev.success) throw new Error(`--against "${spec}" is neither a directory nor a git revision`);
  const dir = await Deno.makeTempDir({ prefix: "weep-bench-against-" });
  const archive = git(["archive", spec]).spawn();
  const untar = new Deno.Command("tar", { args: ["-x", "-C", dir], stdin: "piped" }).spawn();
  await archive.stdout.pipeTo(untar.stdin);
  const [archived, untarred] = await Promise.all([archive.status, untar.status]);
  await archive.stderr.cancel();
  if (!archived.success || !untarred.success) throw new Error(`Cannot export revision "${spec}" of ${root}`);
  const short = new TextDecoder().decode(rev.stdout).trim();
  const label = short === spec ? spec : `${spec} (${short})`;
  return { dir, label, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/**
 * A copy of the checkout at `root` (what `weep` runs from source: `src/`, `scripts/`, `deno.json`, `deno.lock`)
 * in a temporary directory, removed on dispose, so that a comparison with {@linkcode otherCheckout} runs both
 * sides from the same kind of place.
 */
export async function copyCheckout(root: string): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "weep-bench-this-" });
  const copy = async (from: string, to: string): Promise<void> => {
    const info = await Deno.stat(from);
    if (!info.isDirectory) return await Deno.copyFile(from, to);
    await Deno.mkdir(to);
    for await (const entry of Deno.readDir(from)) await copy(`${from}/${entry.name}`, `${to}/${entry.name}`);
  };
  for (const name of ["src", "scripts", "deno.json", "deno.lock"]) {
    await copy(`${root}/${name}`, `${dir}/${name}`);
  }
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}
