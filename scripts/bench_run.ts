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

/** Runs `cmd` once in exactly `env`; throws with its stderr when it fails. */
export async function once(cmd: string[], env: Record<string, string>): Promise<Sample> {
  const rssFile = await Deno.makeTempFile();
  const [program, ...args] = TIME ? [TIME, "-f", "%M", "-o", rssFile, ...cmd] : cmd;
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

/** What {@linkcode paired} measured: medians of each side and of the per-pair ratio `ours / theirs`. */
export interface PairedResult {
  oursMs: number;
  theirsMs: number;
  ratio: number;
  pairs: number;
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
): Promise<PairedResult> {
  for (let i = 0; i < 3; i++) await Promise.all([once(theirs, env), once(ours, env)]);
  const [a, b, ratios]: [number[], number[], number[]] = [[], [], []];
  for (let i = 0; i < pairs; i++) {
    let x: Sample, y: Sample;
    if (i % 2 === 0) {
      x = await once(ours, env);
      y = await once(theirs, env);
    } else {
      y = await once(theirs, env);
      x = await once(ours, env);
    }
    a.push(x.ms);
    b.push(y.ms);
    ratios.push(x.ms / y.ms);
  }
  return { oursMs: median(a), theirsMs: median(b), ratio: median(ratios), pairs };
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
