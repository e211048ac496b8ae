import { assert, assertEquals, assertMatch, assertStringIncludes } from "./assert.ts";
import { TEST_SECRETS } from "./cli.ts";
import { approveInBrowser, startConsoleMe } from "./consoleme_server.ts";
import { getJson } from "./fetch_json.ts";

const USER = "alice@example.com";

Deno.test("challenge login hands out a JWT once, after the browser approves", async () => {
  await using cm = await startConsoleMe();
  const gen = await getJson(`${cm.url}/noauth/v1/challenge_generator/${USER}`);
  assertEquals(gen.status, 200);
  assertMatch(gen.body.challenge_url, new RegExp(`^${cm.url}/challenge_validator/[0-9a-f-]{36}$`));
  assertMatch(gen.body.polling_url, new RegExp(`^${cm.url}/noauth/v1/challenge_poller/[0-9a-f-]{36}$`));
  assertEquals((await getJson(gen.body.polling_url)).body, { status: "pending" });
  assertEquals(cm.pendingChallenges().map((c) => c.user), [USER]);

  const approval = await approveInBrowser(gen.body.challenge_url, USER);
  assert(approval.approved, approval.message);
  const done = await getJson(gen.body.polling_url);
  assertEquals(Object.keys(done.body), ["status", "cookie_name", "expiration", "encoded_jwt", "user"]);
  assertEquals([done.body.status, done.body.cookie_name, done.body.user], [
    "success",
    "consoleme_auth",
    USER,
  ]);
  assert(Number.isInteger(done.body.expiration) && done.body.expiration > Date.now() / 1000 + 3500);
  assert(TEST_SECRETS.has(done.body.encoded_jwt), "the JWT is registered as a test secret");
  assertEquals((await getJson(gen.body.polling_url)).body, { status: "unknown" });

  const roles = await fetch(`${cm.url}/api/v2/get_roles?all=true`, {
    headers: { cookie: `consoleme_auth=${done.body.encoded_jwt}` },
  });
  assertEquals(roles.status, 200);
  await roles.body?.cancel();
});

Deno.test("the challenge validator wants the exact user, one view and the nonce", async () => {
  await using cm = await startConsoleMe();
  const gen = await getJson(`${cm.url}/noauth/v1/challenge_generator/${USER}`);
  const wrong = await approveInBrowser(gen.body.challenge_url, "Alice@example.com");
  assertEquals(wrong.approved, false);
  assertStringIncludes(wrong.message, "associated with a different user");
  const token = gen.body.challenge_url.split("/").at(-1);
  const api = `${cm.url}/api/v2/challenge_validator/${token}`;
  const headers = { "X-ConsoleMe-User": USER };
  const view = await getJson(api, { headers });
  assertEquals(view.body.show_approve_button, true);
  assertStringIncludes((await getJson(api, { headers })).body.message, "already been viewed");
  const badNonce = await getJson(api, { method: "POST", headers, body: JSON.stringify({ nonce: "nope" }) });
  assertStringIncludes(badNonce.body.message, "nonce");
  assertEquals((await getJson(gen.body.polling_url)).body, { status: "pending" });
  assertEquals((await getJson(api)).status, 403, "the validator needs a logged-in browser");
});

Deno.test("challenges expire after their TTL, on the server clock", async () => {
  let now = Date.now();
  await using cm = await startConsoleMe({ clock: () => now });
  const gen = await getJson(`${cm.url}/noauth/v1/challenge_generator/${USER}`);
  now += 121_000;
  assertEquals((await getJson(gen.body.polling_url)).body, { status: "expired" });
  assertEquals((await getJson(gen.body.polling_url)).body, { status: "unknown" });
});

Deno.test("autoApprove, approve() and approveWhenRequested() approve like a browser", async () => {
  await using auto = await startConsoleMe({ autoApprove: true, cookieName: "other_cookie" });
  const gen = await getJson(`${auto.url}/noauth/v1/challenge_generator/${USER}`);
  const done = await getJson(gen.body.polling_url);
  assertEquals([done.body.status, done.body.cookie_name], ["success", "other_cookie"]);

  await using cm = await startConsoleMe({ autoApprove: "someone@else.com" });
  const pending = await getJson(`${cm.url}/noauth/v1/challenge_generator/${USER}`);
  assertEquals((await getJson(pending.body.polling_url)).body, { status: "pending" });
  const waiting = cm.approveWhenRequested();
  const next = await getJson(`${cm.url}/noauth/v1/challenge_generator/bob@example.com`);
  assertEquals((await waiting).approved, true);
  assertEquals((await getJson(next.body.polling_url)).body.user, "bob@example.com");
  const third = await getJson(`${cm.url}/noauth/v1/challenge_generator/carol@example.com`);
  cm.approve();
  assertEquals((await getJson(third.body.polling_url)).body.status, "success");
});
