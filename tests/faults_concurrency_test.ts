// Many callers against a failing ConsoleMe: they share one request's outcome instead of stacking timeouts, a
// stopped lock holder delays the others only as long as it could legitimately need, and Ctrl-C while waiting
// says what was waited for.
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { logOut } from "./support/logged_in.ts";
import {
  assertCleanStdout,
  assertWithin,
  faultBed,
  HTTP_TIMEOUT_S,
  ROLE,
  type TimedResult,
} from "./support/fault_bed.ts";
import { runWeep } from "./support/cli.ts";
import { requireTool } from "./support/tools.ts";

const CALLERS = 10;
const T = HTTP_TIMEOUT_S * 1000;
/** What a holder may need (`fetchBudgetMs`: the timeout and 5 s of weep's own work). */
const BUDGET = T + 5000;

/** Runs `count` callers at once; the slowest one's time is the batch's. */
async function together(count: number, run: () => Promise<TimedResult>) {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: count }, run));
  return { results, ms: performance.now() - started };
}

Deno.test(`${CALLERS} parallel cold callers against a hung ConsoleMe all fail within about one http_timeout`, async () => {
  await using bed = await faultBed();
  bed.cm.fault("slow", { times: Infinity });
  const batch = await together(CALLERS, () => bed.weep());
  for (const result of batch.results) {
    assertEquals(result.code, 1, result.stderr);
    assertEquals(result.stdout, "");
    assertStringIncludes(result.stderr, `did not answer within ${HTTP_TIMEOUT_S} s`);
  }
  // Taking the lock in turn, each with its own timeout, would take CALLERS * T.
  assertWithin(batch, 2 * T + 6000, `${CALLERS} callers`);
  assertEquals(bed.requests(), 1, "one request; the others took its outcome");
  assertEquals(await bed.entries(), []);
});

Deno.test(`${CALLERS} parallel AWS CLI calls with a stale entry against a hung ConsoleMe all get the entry`, async () => {
  const aws = await requireTool("AWS CLI v2");
  if (!aws) return;
  await using bed = await faultBed();
  const stale = await bed.seedStale();
  bed.cm.fault("slow", { times: Infinity });
  const batch = await together(CALLERS, () => bed.aws(aws));
  for (const result of batch.results) {
    assertEquals(result.code, 0, result.stderr);
    assertCleanStdout(result.stdout);
    assertEquals(JSON.parse(result.stdout).AccessKeyId, stale.accessKeyId);
  }
  assertWithin(batch, 2 * T + 10_000, `${CALLERS} AWS CLI calls`);
  assertEquals(bed.requests(), 1);
  assertEquals(await bed.entries(), [stale]);
});

Deno.test("callers within cache.failure_window take the failure at once; after it, ConsoleMe is asked again", async () => {
  await using bed = await faultBed();
  const stale = await bed.seedStale();
  bed.cm.fault("500", { times: Infinity });
  const first = await bed.weep();
  assertEquals(first.code, 0, first.stderr);
  assertEquals(bed.requests(), 1);
  const second = await bed.weep(["--log-level", "debug"]);
  assertEquals(second.code, 0, second.stderr);
  assertEquals(JSON.parse(second.stdout).AccessKeyId, stale.accessKeyId);
  assertStringIncludes(second.stderr, "not asking ConsoleMe again yet");
  assertStringIncludes(
    second.stderr,
    "ConsoleMe failed (ConsoleMe answered HTTP 500: Internal Server Error)",
  );
  assertEquals(bed.requests(), 1, "the second caller did not ask");
  const noWindow = await bed.weep([], { WEEP_CACHE_FAILURE_WINDOW: "0" });
  assertEquals(noWindow.code, 0, noWindow.stderr);
  assertEquals(bed.requests(), 2, "without a window every caller asks");
  bed.cm.clearFaults();
  const healed = await bed.weep([], { WEEP_CACHE_FAILURE_WINDOW: "0" });
  assertEquals(healed.code, 0, healed.stderr);
  assert(
    JSON.parse(healed.stdout).AccessKeyId !== stale.accessKeyId,
    "fresh credentials once ConsoleMe is back",
  );
  const [entry] = await bed.entries();
  assertEquals(entry?.accessKeyId, JSON.parse(healed.stdout).AccessKeyId);
  // A success forgets the failure: the next caller in the window is a plain cache hit.
  assertEquals((await bed.weep()).stdout, healed.stdout);
});

Deno.test("a stopped lock holder delays the next caller only as long as it could need, then weep goes ahead", async () => {
  await using bed = await faultBed();
  bed.cm.fault("slow", { times: Infinity });
  await using stopped = bed.spawn();
  while (bed.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  stopped.kill("SIGSTOP");
  bed.cm.clearFaults();
  const next = await bed.weep();
  assertEquals(next.code, 0, next.stderr);
  assertCleanStdout(next.stdout);
  assertStringIncludes(
    next.stderr,
    `warning: Weep process ${stopped.pid} (fetching credentials for "${ROLE}" from ConsoleMe) has held a lock ` +
      "weep needs for",
  );
  assertStringIncludes(next.stderr, "longer than it can need; going ahead without it");
  assertWithin(next, BUDGET + 8000, "the caller after a stopped holder");
  const [entry] = await bed.entries();
  assertEquals(entry?.accessKeyId, JSON.parse(next.stdout).AccessKeyId);
});

Deno.test("Ctrl-C while waiting for another weep's lock exits 130 and says what it was waiting for", async () => {
  await using bed = await faultBed();
  bed.cm.fault("slow", { times: Infinity });
  await using holder = bed.spawn();
  while (bed.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  await using waiter = bed.spawn(["--log-level", "debug"]);
  await waiter.stderrHas(`Waiting for weep process ${holder.pid}`);
  waiter.kill("SIGINT");
  const result = await waiter.result();
  assertEquals(result.code, 130, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(
    result.stderr,
    `error: Interrupted while waiting for weep process ${holder.pid} (fetching credentials for "${ROLE}" from ` +
      "ConsoleMe)",
  );
});

Deno.test("parallel callers for different roles share one failed login instead of each timing out in turn", async () => {
  await using bed = await faultBed();
  await logOut(bed.weepDir);
  bed.cm.fault("slow", { endpoint: "/noauth/v1/challenge_generator/*", times: Infinity });
  const roles = [
    "consoleme_oss_1_test_admin",
    "consoleme_oss_2_test_admin",
    "consoleme_oss_2_test_user",
    ROLE,
  ];
  const started = performance.now();
  const results = await Promise.all(
    roles.map((role) =>
      runWeep(bed.interop.home.home, ["credential_process", role], {
        env: { WEEP_SERVER_HTTP_TIMEOUT: String(HTTP_TIMEOUT_S) },
      })
    ),
  );
  const ms = performance.now() - started;
  for (const result of results) {
    assertEquals(result.code, 1, result.stderr);
    assertEquals(result.stdout, "");
    assertStringIncludes(result.stderr, `did not answer within ${HTTP_TIMEOUT_S} s`);
  }
  assertWithin({ ms }, 2 * T + 6000, `${roles.length} callers`);
  assertEquals(bed.cm.requests.filter((r) => r.path.startsWith("/noauth/v1/challenge_generator/")).length, 1);
});

Deno.test("a caller waits for a login in progress past the fetch budget, then takes its credentials", async () => {
  await using bed = await faultBed();
  await logOut(bed.weepDir);
  // http_timeout 1 s: a plain fetch may hold the lock 6 s; a login says in its record that it needs minutes.
  const env = { WEEP_SERVER_HTTP_TIMEOUT: "1" };
  await using first = bed.spawn([], env);
  while (bed.cm.pendingChallenges().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  await using second = bed.spawn(["--log-level", "debug"], env);
  await second.stderrHas(`Waiting for weep process ${first.pid} (logging in to ConsoleMe)`);
  await new Promise((resolve) => setTimeout(resolve, 7000));
  bed.cm.approve();
  const [a, b] = [await first.result(), await second.result()];
  assertEquals([a.code, b.code], [0, 0], a.stderr + b.stderr);
  assertEquals(b.stdout, a.stdout, "the waiter took the credentials the login holder fetched");
  assert(!b.stderr.includes("going ahead"), b.stderr);
  assertEquals(bed.requests(), 1);
});

/**
 * A bed whose weep.yaml ends with `yaml`, its config snapshot stored and no cache entry, and a holder fetching
 * from a hung ConsoleMe: the next caller waits for it in the fast start (`src/cli/fast_start.ts`).
 */
async function behindHolder(yaml: string) {
  const bed = await faultBed();
  const config = `${bed.weepDir}/weep.yaml`;
  await Deno.writeTextFile(config, `${await Deno.readTextFile(config)}\n${yaml}`);
  const first = await bed.weep();
  assertEquals(first.code, 0, first.stderr);
  for (const entry of await bed.entries()) await Deno.remove(`${bed.weepDir}/cache/${entry.file}`);
  bed.cm.clearRequests();
  bed.cm.fault("slow", { times: Infinity });
  const holder = bed.spawn();
  while (bed.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const waited = `weep process ${holder.pid} (fetching credentials for "${ROLE}" from ConsoleMe)`;
  return {
    bed,
    waited,
    async [Symbol.asyncDispose]() {
      await holder[Symbol.asyncDispose]();
      await bed[Symbol.asyncDispose]();
    },
  };
}

Deno.test("a caller waiting for another weep's fetch logs as weep.yaml says (log_level, log_format json)", async () => {
  await using setup = await behindHolder("log_level: debug\nlog_format: json\n");
  await using waiter = setup.bed.spawn();
  await waiter.stderrHas(`"msg":${JSON.stringify(`Waiting for ${setup.waited}`)}`);
  waiter.kill("SIGINT");
  const result = await waiter.result();
  assertEquals(result.code, 130, result.stderr);
  const lines = result.stderr.trimEnd().split("\n").map((line) => JSON.parse(line));
  assertEquals(lines.map((line) => [line.level, line.msg]), [
    ["debug", `Waiting for ${setup.waited}`],
    ["error", `Interrupted while waiting for ${setup.waited}`],
  ]);
});

Deno.test("a caller waiting for another weep's fetch writes its lines to weep.yaml's log_file too", async () => {
  await using setup = await behindHolder("log_file: ~/.aws/weep/weep.log\n");
  await using waiter = setup.bed.spawn(["--log-level", "debug"]);
  await waiter.stderrHas(`Waiting for ${setup.waited}`);
  waiter.kill("SIGINT");
  const result = await waiter.result();
  assertEquals(result.code, 130, result.stderr);
  const log = await Deno.readTextFile(`${setup.bed.weepDir}/weep.log`);
  assertStringIncludes(log, ` debug: Waiting for ${setup.waited}\n`);
  assertStringIncludes(log, ` error: Interrupted while waiting for ${setup.waited}\n`);
});

Deno.test("a waiter that goes on to the full path warns once of a log_file weep may not write", async () => {
  await using setup = await behindHolder("log_file: /tmp/weep-elsewhere.log\n");
  // The holder fails after http_timeout; the waiter takes the lock and its failure in the full path.
  const result = await setup.bed.weep();
  assertEquals(result.code, 1, result.stderr);
  const warning =
    'warning: Cannot write the log file "/tmp/weep-elsewhere.log": weep may write only under ~/.aws ' +
    "(try ~/.aws/weep/weep.log); logging to stderr only\n";
  assertEquals(result.stderr.split(warning).length - 1, 1, result.stderr);
  assertStringIncludes(result.stderr, `did not answer within ${HTTP_TIMEOUT_S} s`);
});
