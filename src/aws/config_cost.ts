/**
 * What a large `~/.aws/config` costs AWS tools: the AWS CLI and every boto3 program read the whole file when
 * they start. The figures are `deno task bench`'s (docs/benchmarks.md, "What N profiles cost"): the AWS CLI v2
 * running `sts get-caller-identity`, and a fresh boto3 session making the same call, with N generated profiles
 * beside a config holding only the profile used. Pure.
 *
 * @module
 */

/** Extra start-up time measured with `profiles` generated profiles, over a config with none. */
export interface MeasuredCost {
  profiles: number;
  awsCliMs: number;
  boto3Ms: number;
}

/** Start to exit with a config holding only the profile used: what the figures below add to. */
export const BASE_START_MS = { awsCliMs: 558, boto3Ms: 254 } as const;

/** The benchmark's figures, by profile count. */
export const MEASURED_COSTS: readonly MeasuredCost[] = [
  { profiles: 0, awsCliMs: 0, boto3Ms: 0 },
  { profiles: 300, awsCliMs: 23, boto3Ms: 37 },
  { profiles: 1_000, awsCliMs: 88, boto3Ms: 90 },
  { profiles: 3_000, awsCliMs: 262, boto3Ms: 278 },
  { profiles: 10_000, awsCliMs: 948, boto3Ms: 949 },
];

/**
 * From this many profiles on, generate warns: the benchmark's first size at which both clients start more
 * than 10% slower than with a small config (below it the difference drowns in run-to-run noise).
 */
export const SLOW_PROFILES = 1_000;

/** The extra start-up time of `profiles` profiles: the measured figures, interpolated (and extended) linearly. */
export function extraStartMs(profiles: number): { awsCliMs: number; boto3Ms: number } {
  const points = MEASURED_COSTS;
  let i = 1;
  while (i < points.length - 1 && points[i]!.profiles < profiles) i++;
  const a = points[i - 1]!;
  const b = points[i]!;
  const at = (pick: (p: MeasuredCost) => number) =>
    Math.max(0, pick(a) + (pick(b) - pick(a)) * (profiles - a.profiles) / (b.profiles - a.profiles));
  return { awsCliMs: at((p) => p.awsCliMs), boto3Ms: at((p) => p.boto3Ms) };
}

/** The slowdown `profiles` profiles cause, as a sentence: `each AWS CLI command starts about … slower …`. */
export function slowdownText(profiles: number): string {
  const cost = extraStartMs(profiles);
  const ms = (value: number) => `${Math.round(value / 10) * 10} ms`;
  return `each AWS CLI command starts about ${ms(cost.awsCliMs)} slower and each boto3 session about ` +
    `${ms(cost.boto3Ms)} (measured, docs/benchmarks.md)`;
}

/**
 * The warning `generate` gives when the config it wrote (or would write, `dryRun`) has {@linkcode SLOW_PROFILES}
 * profiles or more; `undefined` below. `used` says whether `--used` already chose the roles.
 */
export function configSizeWarning(
  profiles: number,
  path: string,
  options: { used: boolean; dryRun: boolean },
): string | undefined {
  if (profiles < SLOW_PROFILES) return undefined;
  const has = options.dryRun ? "would have" : "has";
  // Not toLocaleString: loading the locale data costs a generate of many profiles about 8 ms.
  const count = String(profiles).replace(/\B(?=(\d{3})+$)/g, ",");
  const fix = options.used
    ? "narrow it with --include/--exclude, or a shorter --used period, and --prune"
    : "write profiles only for the roles you use with weep generate --used --prune, or choose them with " +
      "--include/--exclude and --prune";
  return `"${path}" ${has} ${count} profiles, and AWS tools read them all when they start: ${
    slowdownText(profiles)
  }; ${fix}`;
}
