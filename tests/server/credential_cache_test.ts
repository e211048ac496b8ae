import { assertEquals, assertRejects } from "../support/assert.ts";
import { WeepError } from "../../src/errors.ts";
import { CredentialCache } from "../../src/server/credential_cache.ts";
import { brokerFailure, FakeClock, FakeSource, MINUTES, outage } from "./fakes.ts";

const APP = { role: "app", assumeRoles: [], noIp: false };

function setup() {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  const warnings: string[] = [];
  const cache = new CredentialCache({ source: fake.source, now: clock.now, warn: (m) => warnings.push(m) });
  return { clock, fake, cache, warnings };
}

Deno.test("cache serves the same credentials while more than 15 minutes remain", async () => {
  const { clock, fake, cache } = setup();
  const first = await cache.get(APP);
  clock.advance(44 * MINUTES);
  const again = await cache.get(APP);
  assertEquals(again.credentials.accessKeyId, first.credentials.accessKeyId);
  assertEquals(fake.calls, 1);
});

Deno.test("cache refreshes ahead: under 15 minutes left gives fresh credentials, never short-lived ones", async () => {
  const { clock, fake, cache } = setup();
  await cache.get(APP);
  clock.advance(46 * MINUTES);
  const refreshed = await cache.get(APP);
  assertEquals(fake.calls, 2);
  assertEquals(refreshed.credentials.accessKeyId, "ASIAFAKE2");
  assertEquals(refreshed.credentials.expiration.getTime() - clock.now().getTime(), 60 * MINUTES);
  assertEquals(refreshed.fetchedAt, clock.now());
});

Deno.test("concurrent first requests share one fetch", async () => {
  const { fake, cache } = setup();
  fake.gated = true;
  const all = Promise.all(Array.from({ length: 10 }, () => cache.get(APP)));
  await Promise.resolve();
  fake.release();
  const results = await all;
  assertEquals(fake.calls, 1);
  assertEquals(new Set(results.map((r) => r.credentials.accessKeyId)).size, 1);
});

Deno.test("each role, chain and no-IP flag has its own entry", async () => {
  const { fake, cache } = setup();
  await cache.get(APP);
  await cache.get({ ...APP, noIp: true });
  await cache.get({ ...APP, assumeRoles: ["arn:aws:iam::123456789012:role/next"] });
  await cache.get({ ...APP, role: "other" });
  await cache.get(APP);
  assertEquals(fake.calls, 4);
  assertEquals(cache.size, 4);
});

Deno.test("a transient failure keeps serving cached credentials with at least stale_min_remaining left", async () => {
  const { clock, fake, cache, warnings } = setup();
  await cache.get(APP);
  clock.advance(50 * MINUTES);
  fake.failure = outage();
  const served = await cache.get(APP);
  assertEquals(served.credentials.accessKeyId, "ASIAFAKE1");
  assertEquals(warnings, [
    'ConsoleMe failed (ConsoleMe at "https://cm.example.com" did not answer within 20 s); using cached ' +
    "credentials that expire at 2026-03-01T13:00:00Z",
  ]);
  // No retry storm: the next request within a minute does not ask again.
  await cache.get(APP);
  assertEquals(fake.calls, 2);
  clock.advance(MINUTES);
  await cache.get(APP);
  assertEquals(fake.calls, 3);
  // Under two minutes left (the default stale_min_remaining): the failure is the answer.
  clock.advance(7 * MINUTES + 1000);
  await assertRejects(() => cache.get(APP), "did not answer");
});

Deno.test("stale_min_remaining is configurable", async () => {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  const cache = new CredentialCache({
    source: fake.source,
    now: clock.now,
    staleMinRemainingMs: 15 * MINUTES,
  });
  await cache.get(APP);
  clock.advance(50 * MINUTES);
  fake.failure = outage();
  await assertRejects(() => cache.get(APP), "did not answer");
});

Deno.test("a refusal is never bridged: the cached credentials are dropped at once", async () => {
  const { clock, fake, cache, warnings } = setup();
  await cache.get(APP);
  clock.advance(50 * MINUTES);
  fake.failure = brokerFailure();
  await assertRejects(() => cache.get(APP), "ConsoleMe has no role");
  assertEquals(warnings.at(-1), 'Cannot get credentials for "app": ConsoleMe has no role matching "nope"');
  assertEquals(cache.peek(APP), undefined);
  fake.failure = outage();
  await assertRejects(() => cache.get(APP), "did not answer");
});

Deno.test("a final failure (neither transient nor a refusal) is not bridged either", async () => {
  const { clock, fake, cache } = setup();
  await cache.get(APP);
  clock.advance(50 * MINUTES);
  fake.failure = new WeepError("Cannot read the mTLS certificate");
  await assertRejects(() => cache.get(APP), "mTLS certificate");
});

Deno.test("expired credentials are never served: a failed refresh under a minute left is an error", async () => {
  const { clock, fake, cache, warnings } = setup();
  await cache.get(APP);
  clock.advance(59 * MINUTES + 1000);
  fake.failure = outage();
  await assertRejects(() => cache.get(APP), "did not answer");
  assertEquals(
    warnings.at(-1),
    'Cannot get credentials for "app": ConsoleMe at "https://cm.example.com" did not answer within 20 s',
  );
  clock.advance(5 * MINUTES);
  await assertRejects(() => cache.get(APP), "did not answer");
  assertEquals(cache.peek(APP), undefined);
  fake.failure = undefined;
  assertEquals((await cache.get(APP)).credentials.accessKeyId, "ASIAFAKE4");
});

Deno.test("credentials that arrive already expired are refused", async () => {
  const { fake, cache } = setup();
  fake.lifetimeMs = -1000;
  await assertRejects(() => cache.get(APP), "expired before they could be served");
});

Deno.test("short-lived credentials from the broker are reused for a minute, not fetched on every request", async () => {
  const { clock, fake, cache } = setup();
  fake.lifetimeMs = 10 * MINUTES;
  await cache.get(APP);
  clock.advance(30_000);
  await cache.get(APP);
  assertEquals(fake.calls, 1);
  clock.advance(30_000);
  await cache.get(APP);
  assertEquals(fake.calls, 2);
});

Deno.test("entries whose credentials expired are dropped", async () => {
  const { clock, cache } = setup();
  await cache.get(APP);
  await cache.get({ ...APP, role: "other" });
  clock.advance(61 * MINUTES);
  await cache.get({ ...APP, role: "third" });
  assertEquals(cache.size, 1);
});

Deno.test("the cache passes its signal to the source", async () => {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  const controller = new AbortController();
  const cache = new CredentialCache({ source: fake.source, now: clock.now, signal: controller.signal });
  await cache.get(APP);
  assertEquals(fake.signals, [controller.signal]);
});
