/**
 * Prints how long the config editor takes to plan 100, 1,000 and 10,000 generated profiles: into a file with
 * a few user profiles, again on its own output (nothing to do), and with half the roles pruned, plus the
 * `--dry-run` diff of the first run.
 *
 * Run: `deno run scripts/bench_config_file.ts`
 *
 * @module
 */

import { type DesiredProfile, planProfiles } from "../src/aws/ini/config_file.ts";
import { unifiedDiff } from "../src/text/diff.ts";

const USER_CONFIG = "# my settings\n[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = 20\n\n" +
  "[profile dev]\nregion = eu-west-1\noutput = json\n\n[sso-session corp]\nsso_region = us-east-1\n";

function roles(count: number): DesiredProfile[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `arn:aws:iam::${String(100000000000 + (i % 500)).padStart(12, "0")}:role/team/role-${i}`;
    return { name, keys: [["credential_process", `/usr/local/bin/weep credential_process ${name}`]] };
  });
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

const rows: string[] = [];
for (const count of [100, 1_000, 10_000]) {
  const desired = roles(count);
  const [first, add] = time(() => planProfiles(USER_CONFIG, desired, { kind: "config" }));
  const [, again] = time(() => planProfiles(first.text, desired, { kind: "config" }));
  const [, prune] = time(() =>
    planProfiles(first.text, desired.slice(0, count / 2), { kind: "config", prune: true })
  );
  const [, diff] = time(() => unifiedDiff(USER_CONFIG, first.text, "a/config", "b/config"));
  rows.push(
    [count, add, again, prune, diff].map((v, i) => (i === 0 ? String(v) : `${v.toFixed(1)} ms`).padStart(12))
      .join(""),
  );
}
const header = ["profiles", "add", "re-run", "prune half", "diff"].map((h) => h.padStart(12)).join("");
// deno-lint-ignore no-console -- a benchmark script prints its figures
console.log([header, ...rows].join("\n"));
