// The fault suite: the real CLI and the real AWS CLI v2 against a test ConsoleMe that fails on purpose. Each case
// checks the exit code, that stdout is empty or one credential_process document, a time bound, and the cache.
import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { logOut } from "./support/logged_in.ts";
import type { FaultKind, FaultOptions } from "./support/consoleme_server.ts";
import { assertCleanStdout, assertWithin, faultBed, HTTP_TIMEOUT_S } from "./support/fault_bed.ts";
import { requireTool } from "./support/tools.ts";

/** A fault, what weep says about it, and how long a call may take at most. */
interface FaultCase {
  kind: FaultKind;
  options?: FaultOptions;
  says: string;
  withinMs: number;
}

const QUICK_MS = 10_000;
// A hang costs one http_timeout, plus weep's start and the AWS CLI's.
const HANG_MS = HTTP_TIMEOUT_S * 1000 + 8_000;
const FOREVER = { times: Infinity };

const FAULTS: FaultCase[] = [
  { kind: "500", says: "ConsoleMe answered HTTP 500: Internal Server Error", withinMs: QUICK_MS },
  { kind: "html", says: "answered with HTML, not JSON", withinMs: QUICK_MS },
  { kind: "drop", says: "the connection was closed without an answer", withinMs: QUICK_MS },
  { kind: "slow", says: `did not answer within ${HTTP_TIMEOUT_S} s`, withinMs: HANG_MS },
  { kind: "truncated", says: "the connection broke off in the middle of the answer", withinMs: QUICK_MS },
  { kind: "endless", says: "with more than weep's limit of 1 MiB", withinMs: QUICK_MS },
  { kind: "garbage", says: "sent a response that is not valid JSON", withinMs: QUICK_MS },
  { kind: "past_expiry", says: "Expiration", withinMs: QUICK_MS },
  { kind: "absurd_expiry", says: "Expiration 100000000000000000000 is not a valid time", withinMs: QUICK_MS },
];

for (const fault of FAULTS) {
  Deno.test(`fault ${fault.kind}, cold cache: weep exits 1 with the reason, prints nothing, stores nothing`, async () => {
    await using bed = await faultBed();
    bed.cm.fault(fault.kind, { ...FOREVER, ...fault.options });
    const result = await bed.weep();
    assertEquals(result.code, 1, result.stderr);
    assertEquals(result.stdout, "");
    assertStringIncludes(result.stderr, fault.says);
    assert(!result.stderr.includes("This is a bug in weep"), result.stderr);
    assertWithin(result, fault.withinMs, "weep");
    assertEquals(await bed.entries(), []);
  });

  Deno.test(`fault ${fault.kind}, stale entry: the AWS CLI gets the cached credentials and a warning`, async () => {
    const aws = await requireTool("AWS CLI v2");
    if (!aws) return;
    await using bed = await faultBed();
    const stale = await bed.seedStale();
    bed.cm.fault(fault.kind, { ...FOREVER, ...fault.options });
    const result = await bed.aws(aws);
    assertEquals(result.code, 0, result.stderr);
    assertCleanStdout(result.stdout);
    const printed = JSON.parse(result.stdout);
    assertEquals(printed.AccessKeyId, stale.accessKeyId);
    assertEquals(Date.parse(printed.Expiration), Date.parse(stale.expiration));
    assertEquals(bed.requests(), 1, "ConsoleMe was asked once");
    assertWithin(result, fault.withinMs, "the AWS CLI");
    assertEquals(await bed.entries(), [stale], "the entry is kept as it was");
    // weep itself says why it served them (the AWS CLI keeps a helper's stderr to itself on success).
    const direct = await bed.weep();
    assertEquals([direct.code, direct.stdout.length > 0], [0, true], direct.stderr);
    assertStringIncludes(direct.stderr, "warning: ConsoleMe failed (");
    assertStringIncludes(direct.stderr, `); using cached credentials that expire at ${stale.expiration}`);
  });
}

Deno.test("fault: a login poller answering 500 ends the login in seconds with the status and ConsoleMe's message", async () => {
  await using bed = await faultBed();
  await logOut(bed.weepDir);
  bed.cm.fault("500", { endpoint: "/noauth/v1/challenge_poller/*", times: Infinity });
  const result = await bed.weep();
  assertEquals(result.code, 1, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(
    result.stderr,
    "error: ConsoleMe's login poller answered HTTP 500: Internal Server Error",
  );
  assertWithin(result, QUICK_MS, "weep");
  assertEquals(bed.cm.count(bed.cm.pendingChallenges()[0]!.pollingUrl.replace(bed.cm.url, "")), 3);
  assertEquals(await bed.entries(), []);
});

Deno.test("fault: a login poller answering 500 with a stale entry serves the entry through the AWS CLI", async () => {
  const aws = await requireTool("AWS CLI v2");
  if (!aws) return;
  await using bed = await faultBed();
  const stale = await bed.seedStale();
  await logOut(bed.weepDir);
  bed.cm.fault("500", { endpoint: "/noauth/v1/challenge_poller/*", times: Infinity });
  const result = await bed.aws(aws);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(JSON.parse(result.stdout).AccessKeyId, stale.accessKeyId);
  assertWithin(result, QUICK_MS, "the AWS CLI");
  assertEquals(await bed.entries(), [stale]);
});

Deno.test("fault: ConsoleMe's refusal (900) removes the stale entry and fails the AWS CLI", async () => {
  const aws = await requireTool("AWS CLI v2");
  if (!aws) return;
  await using bed = await faultBed();
  await bed.seedStale();
  bed.cm.fault("900", FOREVER);
  const result = await bed.aws(aws);
  assert(result.code !== 0, "the AWS CLI fails");
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, 'No role you may use matches "test_account_user"');
  assertWithin(result, QUICK_MS, "the AWS CLI");
  assertEquals(await bed.entries(), []);
});

Deno.test("fault: --no-cache against a failing ConsoleMe fails and keeps the entry", async () => {
  await using bed = await faultBed();
  const stale = await bed.seedStale();
  bed.cm.fault("500", FOREVER);
  const result = await bed.weep(["--no-cache"]);
  assertEquals(result.code, 1, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "ConsoleMe answered HTTP 500");
  assertEquals(await bed.entries(), [stale]);
  // Without --no-cache the entry still stands in.
  const served = await bed.weep();
  assertEquals(served.code, 0, served.stderr);
  assertEquals(JSON.parse(served.stdout).AccessKeyId, stale.accessKeyId);
});

Deno.test("fault: an entry with less than cache.stale_min_remaining left is not served; the failure is the answer", async () => {
  await using bed = await faultBed();
  const stale = await bed.seedStale(1);
  bed.cm.fault("500", FOREVER);
  const result = await bed.weep();
  assertEquals(result.code, 1, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "ConsoleMe answered HTTP 500");
  assertEquals(await bed.entries(), [stale], "a transient failure removes nothing");
  const lowered = await bed.weep([], { WEEP_CACHE_STALE_MIN_REMAINING: "30s" });
  assertEquals(lowered.code, 0, lowered.stderr);
  assertEquals(JSON.parse(lowered.stdout).AccessKeyId, stale.accessKeyId);
});
