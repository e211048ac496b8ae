/**
 * One login per ConsoleMe and user, through the real CLI with two test ConsoleMes running at once.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { type ConsoleMeServer, startConsoleMe } from "../support/consoleme_server.ts";
import { configureFor, logIn, sessionStore, storedSession } from "../support/logged_in.ts";

const GENERATOR = "/noauth/v1/challenge_generator/";
const logins = (cm: ConsoleMeServer) => cm.requests.filter((r) => r.path.startsWith(GENERATOR)).length;

Deno.test("switching between two ConsoleMes' configs (A, B, A, B) logs in to each once", async () => {
  await using a = await startConsoleMe({ autoApprove: true, user: "alice@example.com" });
  await using b = await startConsoleMe({ autoApprove: true, user: "alice@example.com" });
  await using home = await tempHome();
  await configureFor(home, a);
  await Deno.writeTextFile(
    `${home.weep}/b.yaml`,
    `consoleme_url: ${b.url}\nchallenge_settings:\n  user: alice@example.com\n`,
  );
  const runs: [ConsoleMeServer, string[]][] = [
    [a, ["list", "-s"]],
    [b, ["-c", `${home.weep}/b.yaml`, "list", "-s"]],
    [a, ["list", "-s"]],
    [b, ["-c", `${home.weep}/b.yaml`, "list", "-s"]],
  ];
  for (const [cm, args] of runs) {
    const result = await runWeep(home.home, args);
    assertEquals(result.code, 0, result.stderr);
    assert(cm.count("/api/v2/get_roles") > 0, `${args.join(" ")} asked its own ConsoleMe`);
  }
  assertEquals([logins(a), logins(b)], [1, 1], "one browser login per ConsoleMe");
  assert((await storedSession(home, a)) !== undefined && (await storedSession(home, b)) !== undefined);

  // Both are listed, without their tokens.
  const listed = await runWeep(home.home, ["cache", "list"]);
  assertEquals(listed.code, 0, listed.stderr);
  for (const cm of [a, b]) assertStringIncludes(listed.stdout, cm.url);
  const info = await runWeep(home.home, ["info", "--raw"]);
  assertEquals(info.code, 0, info.stderr);
  assertStringIncludes(info.stdout, `consoleme_url: ${a.url}`);
  assertStringIncludes(info.stdout, `consoleme_url: ${b.url}`);
  for (const cm of [a, b]) {
    const jwt = (await storedSession(home, cm))!.encoded_jwt;
    assert(!listed.stdout.includes(jwt) && !info.stdout.includes(jwt), "a token was shown");
  }
});

Deno.test("the single session.json of earlier releases is moved over: no new login, and it is gone", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await tempHome();
  await configureFor(home, cm);
  const session = await logIn(home, cm);
  const store = sessionStore(home);
  await Deno.remove(store.sessionsDir, { recursive: true });
  await Deno.writeTextFile(store.legacySessionFile, JSON.stringify(session) + "\n", { mode: 0o600 });
  const result = await runWeep(home.home, ["list", "-s"]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(logins(cm), 0);
  assertEquals(await Deno.stat(store.legacySessionFile).catch(() => undefined), undefined);
  assertEquals((await storedSession(home, cm))?.encoded_jwt, session.encoded_jwt);
});

Deno.test("without a configured user, each ConsoleMe uses its own last login, also on a cache hit", async () => {
  await using a = await startConsoleMe({ autoApprove: true, user: "alice@example.com" });
  await using b = await startConsoleMe({ autoApprove: true, user: "bob@example.com" });
  await using home = await tempHome();
  await home.writeConfig(`consoleme_url: ${a.url}\n`);
  await Deno.writeTextFile(`${home.weep}/b.yaml`, `consoleme_url: ${b.url}\n`);
  await logIn(home, a);
  await logIn(home, b);
  const role = "test_account_user";
  for (let round = 0; round < 2; round++) {
    const fromA = await runWeep(home.home, ["credential_process", role]);
    const fromB = await runWeep(home.home, ["credential_process", "-c", `${home.weep}/b.yaml`, role]);
    assertEquals([fromA.code, fromB.code], [0, 0], fromA.stderr + fromB.stderr);
  }
  // One fetch each: the second round was served from the cache, keyed by each ConsoleMe's own user.
  assertEquals([a.minted.map((m) => m.user), b.minted.map((m) => m.user)], [["alice@example.com"], [
    "bob@example.com",
  ]]);
  assertEquals([logins(a), logins(b)], [0, 0]);
});
