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
