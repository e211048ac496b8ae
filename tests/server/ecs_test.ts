import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import {
  brokerFailure,
  ecsRequest,
  FakeClock,
  FakeSource,
  MINUTES,
  outage,
  sdkRequest,
  testHandler,
  TOKEN,
} from "./fakes.ts";

const ROLE = "arn:aws:iam::123456789012:role/app_role";
const NEXT = "arn:aws:iam::123456789012:role/next";
const LAST = "arn:aws:iam::210987654321:role/team/last";

function setup(overrides: Parameters<typeof testHandler>[2] = {}) {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  return { clock, fake, ...testHandler(clock, fake, overrides) };
}

Deno.test("ecs answers the credential JSON the SDKs read, keys in order", async () => {
  const { handler, fake } = setup();
  const response = await handler(ecsRequest(`/ecs/${ROLE}`));
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "application/json");
  assertEquals(response.headers.get("cache-control"), "no-store");
  const text = await response.text();
  assertEquals(
    text,
    '{"AccessKeyId":"ASIAFAKE1","SecretAccessKey":"secret-1","Token":"token-1",' +
      `"Expiration":"2026-03-01T13:00:00Z","RoleArn":"${ROLE}"}\n`,
  );
  assertEquals(fake.queries, [{ role: ROLE, assumeRoles: [], noIp: false }]);
});

Deno.test("ecs without the Authorization header is 401, with a wrong token 403, and nothing is fetched", async () => {
  const { handler, fake } = setup();
  const missing = await handler(sdkRequest(`/ecs/${ROLE}`));
  assertEquals(missing.status, 401);
  assertStringIncludes(await missing.text(), "Authorization");
  const empty = await handler(ecsRequest(`/ecs/${ROLE}`, { authorization: "" }));
  assertEquals(empty.status, 401);
  await empty.body?.cancel();
  const wrong = await handler(ecsRequest(`/ecs/${ROLE}`, { authorization: TOKEN.slice(0, -1) + "Z" }));
  assertEquals(wrong.status, 403);
  assertEquals(wrong.headers.get("content-type"), "text/plain; charset=utf-8");
  assertStringIncludes(await wrong.text(), "wrong authorization token");
  const prefixed = await handler(ecsRequest(`/ecs/${ROLE}`, { authorization: `Bearer ${TOKEN}` }));
  assertEquals(prefixed.status, 403);
  await prefixed.body?.cancel();
  assertEquals(fake.calls, 0);
});

Deno.test("ecs role may contain slashes and percent-encoding", async () => {
  const { handler, fake } = setup();
  await (await handler(ecsRequest("/ecs/arn:aws:iam::123456789012:role/team/deployer"))).body?.cancel();
  await (await handler(ecsRequest("/ecs/app%20role"))).body?.cancel();
  assertEquals(fake.queries.map((q) => q.role), ["arn:aws:iam::123456789012:role/team/deployer", "app role"]);
});

Deno.test("ecs ?assume= chains after the global --assume-role chain and --no-ip is applied", async () => {
  const { handler, fake } = setup({ assumeRoles: [NEXT], noIp: true });
  const response = await handler(ecsRequest(`/ecs/app_role?assume=${LAST}`));
  assertEquals(response.status, 200);
  assertEquals(fake.queries, [{ role: "app_role", assumeRoles: [NEXT, LAST], noIp: true }]);
  // The chain's last role is the one the credentials are for.
  assertEquals((await response.json()).RoleArn, LAST);
});

Deno.test("ecs ?assume= takes comma-separated and repeated ARNs", async () => {
  const { handler, fake } = setup();
  await (await handler(ecsRequest(`/ecs/app?assume=${NEXT},${LAST}`))).body?.cancel();
  await (await handler(ecsRequest(`/ecs/app?assume=${NEXT}&assume=${LAST}`))).body?.cancel();
  // Both spellings are the same query: one fetch, one cache entry.
  assertEquals(fake.queries.map((q) => q.assumeRoles), [[NEXT, LAST]]);
});

Deno.test("ecs ?assume= with something that is not a role ARN is 400 plain text and fetches nothing", async () => {
  const { handler, fake } = setup();
  for (const bad of ["app_role", "arn:aws:s3:::bucket", `${NEXT},arn:aws:iam::123:role/x`]) {
    const response = await handler(ecsRequest(`/ecs/app?assume=${bad}`));
    assertEquals(response.status, 400, bad);
    assertEquals(response.headers.get("content-type"), "text/plain; charset=utf-8");
    assertStringIncludes(await response.text(), "invalid role ARN in the assume query string");
  }
  assertEquals(fake.calls, 0);
});

Deno.test("ecs with no role in the path is 400", async () => {
  const { handler } = setup();
  const response = await handler(ecsRequest("/ecs/"));
  assertEquals(response.status, 400);
  assertStringIncludes(await response.text(), "no role in the path");
});

Deno.test("ecs answers 502 with the broker's error text and hints when credentials cannot be had", async () => {
  const { handler, fake } = setup();
  fake.failure = brokerFailure();
  const response = await handler(ecsRequest("/ecs/nope"));
  assertEquals(response.status, 502);
  assertEquals(
    await response.text(),
    'ConsoleMe has no role matching "nope"\nRun weep list to see your roles\n',
  );
});

Deno.test("ecs never serves expired credentials: refresh failure near expiry is 502", async () => {
  const { handler, fake, clock } = setup();
  assertEquals((await handler(ecsRequest(`/ecs/${ROLE}`))).status, 200);
  clock.advance(50 * MINUTES);
  fake.failure = outage();
  const stale = await handler(ecsRequest(`/ecs/${ROLE}`));
  assertEquals(stale.status, 200, "still 10 minutes left");
  assertEquals((await stale.json()).AccessKeyId, "ASIAFAKE1");
  clock.advance(9 * MINUTES + 30_000);
  const expiring = await handler(ecsRequest(`/ecs/${ROLE}`));
  assertEquals(expiring.status, 502);
  await expiring.body?.cancel();
  fake.failure = undefined;
  const fresh = await handler(ecsRequest(`/ecs/${ROLE}`));
  assertEquals((await fresh.json()).AccessKeyId, "ASIAFAKE4");
});

Deno.test("ecs shares one fetch between concurrent first requests", async () => {
  const { handler, fake } = setup();
  fake.gated = true;
  const pending = Array.from({ length: 5 }, () => handler(ecsRequest(`/ecs/${ROLE}`)));
  // Release only once the shared fetch has started (the handler does some async work before it).
  for (let waited = 0; fake.queries.length === 0; waited++) {
    assert(waited < 5000, "the fetch never started");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  fake.release();
  const bodies = await Promise.all((await Promise.all(pending)).map((r) => r.json()));
  assertEquals(fake.calls, 1);
  assert(bodies.every((b) => b.AccessKeyId === "ASIAFAKE1"));
});

Deno.test("ecs only reads: POST is 405", async () => {
  const { handler } = setup();
  const response = await handler(sdkRequest(`/ecs/${ROLE}`, { authorization: TOKEN }, "POST"));
  assertEquals(response.status, 405);
  assertEquals(response.headers.get("allow"), "GET, HEAD");
  await response.body?.cancel();
});
