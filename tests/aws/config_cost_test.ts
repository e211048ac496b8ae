import { assert, assertEquals } from "../support/assert.ts";
import {
  BASE_START_MS,
  configSizeWarning,
  extraStartMs,
  MEASURED_COSTS,
  SLOW_PROFILES,
} from "../../src/aws/config_cost.ts";

Deno.test("the warning threshold is the first measured size at which both clients started 10% slower", () => {
  const slow = (p: (typeof MEASURED_COSTS)[number]) =>
    p.awsCliMs >= 0.1 * BASE_START_MS.awsCliMs && p.boto3Ms >= 0.1 * BASE_START_MS.boto3Ms;
  assertEquals(MEASURED_COSTS.find(slow)?.profiles, SLOW_PROFILES);
  assert(
    MEASURED_COSTS.some((p) => p.profiles > 0 && p.profiles < SLOW_PROFILES),
    "a smaller size was measured",
  );
  for (const p of MEASURED_COSTS) {
    assertEquals(extraStartMs(p.profiles), { awsCliMs: p.awsCliMs, boto3Ms: p.boto3Ms });
  }
});

Deno.test("the slowdown grows with the profile count, between and beyond the measured sizes", () => {
  let last = { awsCliMs: -1, boto3Ms: -1 };
  for (const n of [0, 10, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 100_000]) {
    const cost = extraStartMs(n);
    assert(cost.awsCliMs >= last.awsCliMs && cost.boto3Ms >= last.boto3Ms, `${n}`);
    last = cost;
  }
  const [a, b] = [MEASURED_COSTS.at(-2)!, MEASURED_COSTS.at(-1)!];
  assertEquals(
    Math.round(extraStartMs(2 * b.profiles - a.profiles).awsCliMs),
    2 * b.awsCliMs - a.awsCliMs,
    "extended along the last measured slope",
  );
});

Deno.test("generate warns from the threshold on, with the count, the measured slowdown and what to do", () => {
  const path = "/home/me/.aws/config";
  assertEquals(configSizeWarning(SLOW_PROFILES - 1, path, { used: false, dryRun: false }), undefined);
  const cost = extraStartMs(2_014);
  const ms = (value: number) => `${Math.round(value / 10) * 10} ms`;
  assertEquals(
    configSizeWarning(2_014, path, { used: false, dryRun: false }),
    `"${path}" has 2,014 profiles, and AWS tools read them all when they start: each AWS CLI command starts ` +
      `about ${ms(cost.awsCliMs)} slower and each boto3 session about ${ms(cost.boto3Ms)} (measured, ` +
      "docs/benchmarks.md); write profiles only for the roles you use with weep generate --used --prune, or " +
      "choose them with --include/--exclude and --prune",
  );
  const dry = configSizeWarning(SLOW_PROFILES, path, { used: true, dryRun: true })!;
  assert(dry.startsWith(`"${path}" would have ${SLOW_PROFILES.toLocaleString("en")} profiles`), dry);
  assert(dry.endsWith("narrow it with --include/--exclude, or a shorter --used period, and --prune"), dry);
});
