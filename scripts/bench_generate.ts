/**
 * `weep generate` at scale, whole processes against the test ConsoleMe (issue 16's goals): 100,000 new roles
 * written into a config holding a user's profile, in under 5 s; its peak memory per role, at most 3 KiB; and a
 * re-run that changes nothing at 10,000 roles, at most as long as the fresh write it follows (paired runs, the
 * order alternating). `deno task bench` adds these rows to its goal table; run alone, it prints them with a
 * pass/fail line each:
 *
 *   deno run -A scripts/bench_generate.ts [--pin CPU] [--runs N]
 *
 * @module
 */

import { startConsoleMe, syntheticRoles } from "../tests/support/consoleme_server.ts";
import { baseEnv } from "../tests/support/cli.ts";
import { loggedInHome } from "../tests/support/logged_in.ts";
import { fmt, type GoalRow, goalTable, median, once, type Sample } from "./bench_run.ts";
import { weepRunArgs } from "./weep_command.ts";

/** One figure with its goal: a row of the goal table of `deno task bench`. */
export type GenerateGoal = GoalRow;

/** What the goals are judged on. */
export const GENERATE_GOALS = {
  /** Roles of the large run, and the most it may take. */
  largeRoles: 100_000,
  largeMs: 5_000,
  /**
   * Peak memory of the large run per role: above the peak of the same generate with 100 roles (the runtime and
   * weep's code, the same for any count).
   */
  kibPerRole: 3,
  /** Roles of the re-run, and the most a re-run may take against a fresh write. */
  rerunRoles: 10_000,
  rerunRatio: 1.0,
} as const;

/** How many runs each median takes, unless told (`WEEP_BENCH_GENERATE_RUNS`, `--runs`). */
export const GENERATE_RUNS = Number(Deno.env.get("WEEP_BENCH_GENERATE_RUNS") ?? 5);

/** The roles of the generate whose peak memory is the base of the memory per role. */
const SMALL_ROLES = 100;

/** A user's own part of the config: weep's profiles are appended after it. */
const USER_PART = "# kept by hand\n[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n";

/**
 * Measures the generate goals. `run` runs one whole process and gives its wall time and peak memory (the
 * bench's `once`, which pins it when asked); `runs` is how many runs each median takes.
 */
export async function generateGoals(
  run: (cmd: string[], env: Record<string, string>) => Promise<Sample>,
  runs: number,
  progress: (line: string) => void = () => {},
): Promise<GenerateGoal[]> {
  const g = GENERATE_GOALS;
  await using cm = await startConsoleMe({ autoApprove: true, roles: syntheticRoles(SMALL_ROLES) });
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const env = baseEnv(home.home);
  const generate = [Deno.execPath(), ...weepRunArgs(env), "generate"];
  const fresh = async () => {
    await Deno.writeTextFile(path, USER_PART);
    return await run(generate, env);
  };

  // What any generate takes (the runtime, weep's code, a few roles): the memory per role is what is above it.
  await fresh();
  const smallKb = median(await times(runs, fresh));
  // 100,000 roles, each run into the user's part alone.
  cm.setRoles(syntheticRoles(g.largeRoles));
  await fresh();
  const large: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    large.push(await fresh());
    progress(`generate ${g.largeRoles} roles: ${fmt(large.at(-1)!.ms)}, ${mib(large.at(-1)!.rssKb)}`);
  }
  const profiles = countProfiles(await Deno.readTextFile(path));
  if (profiles !== g.largeRoles + 1) {
    throw new Error(`generate wrote ${profiles - 1} profiles, not ${g.largeRoles}`);
  }
  const largeMs = median(large.map((s) => s.ms));
  const largeKb = median(large.map((s) => s.rssKb));
  const perRole = (largeKb - smallKb) / (g.largeRoles - SMALL_ROLES);
  // An empty module, for the floors of the memory row.
  const empty = `${home.home}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  const bareKb = median(await times(runs, () => run([Deno.execPath(), "run", empty], env)));
  const flagsKb = median(await times(runs, () => run([...generate.slice(0, -2), empty], env)));

  // 10,000 roles: a fresh write, then the re-run that finds every profile as it should be, in pairs.
  cm.setRoles(syntheticRoles(g.rerunRoles));
  const rerun = async () => await run(generate, env);
  const ratios: number[] = [];
  const freshMs: number[] = [];
  const rerunMs: number[] = [];
  await fresh();
  await rerun();
  for (let i = 0; i < 2 * runs + 1; i++) {
    // The order alternates: a re-run right after a fresh write, then a fresh write right after a re-run.
    let a: Sample, b: Sample;
    if (i % 2 === 0) {
      a = await fresh();
      b = await rerun();
    } else {
      b = await rerun();
      a = await fresh();
    }
    freshMs.push(a.ms);
    rerunMs.push(b.ms);
    ratios.push(b.ms / a.ms);
  }
  const ratio = median(ratios);
  progress(`generate ${g.rerunRoles} roles: fresh ${fmt(median(freshMs))}, re-run ${fmt(median(rerunMs))}`);

  const count = g.largeRoles.toLocaleString("en");
  return [
    {
      figure: `\`generate\`, ${count} new roles`,
      weep: fmt(largeMs),
      bare: "",
      flags: "",
      goal: `≤ ${g.largeMs / 1000} s`,
      met: largeMs <= g.largeMs,
    },
    {
      figure: `\`generate\` peak memory, ${count} roles`,
      weep: `${perRole.toFixed(2)} KiB per role: ${mib(largeKb)}, ${mib(smallKb)} for ${SMALL_ROLES} roles`,
      bare: `${(largeKb / bareKb).toFixed(2)}× (${mib(bareKb)})`,
      flags: `${(largeKb / flagsKb).toFixed(2)}× (${mib(flagsKb)})`,
      goal: `≤ ${g.kibPerRole} KiB per role`,
      met: largeKb > 0 && perRole <= g.kibPerRole,
    },
    {
      figure: `\`generate\` re-run vs a fresh write, ${g.rerunRoles.toLocaleString("en")} roles`,
      weep: `${fmt(median(rerunMs))} vs ${fmt(median(freshMs))}`,
      bare: "",
      flags: "",
      goal: `≤ ${g.rerunRatio.toFixed(1)}×: ${ratio.toFixed(2)}×`,
      met: ratio <= g.rerunRatio,
    },
  ];
}

async function times(n: number, fn: () => Promise<Sample>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await fn()).rssKb);
  return out;
}

function mib(kb: number): string {
  return kb ? `${(kb / 1024).toFixed(0)} MiB` : "n/a";
}

function countProfiles(text: string): number {
  let count = 0;
  for (let at = text.indexOf("[profile "); at !== -1; at = text.indexOf("\n[profile ", at + 1)) count++;
  return count;
}

/** One line a goal: `PASS: figure: measured (goal ...)`, or `FAIL: ...`. */
export function passFailLines(goals: readonly GenerateGoal[]): string {
  return goals.map((g) => `${g.met ? "PASS" : "FAIL"}: ${g.figure}: ${g.weep} (goal ${g.goal})`).join("\n");
}

if (import.meta.main) {
  const arg = (name: string) => Deno.args.includes(name) ? Deno.args[Deno.args.indexOf(name) + 1] : undefined;
  const pin = arg("--pin");
  const runs = Number(arg("--runs") ?? GENERATE_RUNS);
  const pinned = pin === undefined ? [] : ["taskset", "-c", pin];
  const print = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text + "\n"));
  const goals = await generateGoals((cmd, env) => once([...pinned, ...cmd], env), runs, print);
  print(`\n${goalTable(goals)}\n\n${passFailLines(goals)}`);
}
