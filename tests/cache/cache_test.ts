import { startConsoleMe } from "../support/consoleme_server.ts";
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { baseEnv, runWeep, tempHome } from "../support/cli.ts";
import { loginLockPath } from "../../src/auth/session.ts";

const ROLE = "test_account_user";
const HOLDER = new URL("../support/lock_holder.ts", import.meta.url).pathname;

async function setup(extra = "") {
  const cm = await startConsoleMe({ autoApprove: true });
  const home = await tempHome();
  await home.writeConfig(
    `consoleme_url: ${cm.url}\nchallenge_settings:\n  user: alice@example.com\n${extra}`,
  );
  return {
    cm,
    home,
    requests: () => cm.count("/api/v1/get_credentials"),
    async [Symbol.asyncDispose]() {
      await cm[Symbol.asyncDispose]();
      await home[Symbol.asyncDispose]();
    },
  };
}

async function cacheFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const item of Deno.readDir(dir)) {
    if (item.isFile && item.name.endsWith(".json")) names.push(item.name);
  }
  return names;
}

Deno.test("a cache hit makes no request and prints the same credentials", async () => {
  await using t = await setup();
  const first = await runWeep(t.home.home, ["credential_process", ROLE]);
  const second = await runWeep(t.home.home, ["credential_process", ROLE]);
  assertEquals(first.code, 0, first.stderr);
  assertEquals(second, { code: 0, stdout: first.stdout, stderr: "" });
  assertEquals(t.requests(), 1);
  const files = await cacheFiles(`${t.home.weep}/cache`);
  assertEquals(files.length, 1);
  assertEquals((await Deno.stat(`${t.home.weep}/cache/${files[0]}`)).mode! & 0o777, 0o600);
});

Deno.test("--no-cache asks ConsoleMe again and still stores the result", async () => {
  await using t = await setup();
  await runWeep(t.home.home, ["credential_process", ROLE]);
  const fresh = await runWeep(t.home.home, ["credential_process", "--no-cache", ROLE]);
  assertEquals(fresh.code, 0);
  assertEquals(t.requests(), 2);
  const again = await runWeep(t.home.home, ["credential_process", ROLE]);
  assertEquals(again.stdout, fresh.stdout);
  assertEquals(t.requests(), 2);
});

Deno.test("50 parallel cold calls cause exactly one broker request", async () => {
  await using t = await setup();
  // Log in first, so that the test counts credential requests, not logins.
  await runWeep(t.home.home, ["credential_process", "consoleme_oss_2_test_admin"]);
  t.cm.clearRequests();
  const results = await Promise.all(
    Array.from({ length: 50 }, () => runWeep(t.home.home, ["credential_process", ROLE])),
  );
  assertEquals(results.filter((r) => r.code !== 0).map((r) => r.stderr), []);
  assertEquals(new Set(results.map((r) => r.stdout)).size, 1);
  assertEquals(t.requests(), 1);
});

Deno.test("parallel cold callers wait for the one fetch in the fast path and print what it stored", async () => {
  await using t = await setup();
  // The first call logs in and leaves the config snapshot, which says how long a fetch may take.
  await runWeep(t.home.home, ["credential_process", ROLE]);
  for (const name of await cacheFiles(`${t.home.weep}/cache`)) {
    await Deno.remove(`${t.home.weep}/cache/${name}`);
  }
  t.cm.clearRequests();
  // ConsoleMe answers after a second, so every other caller finds the lock taken.
  t.cm.fault("slow", { ms: 1000 });
  const results = await Promise.all(
    Array.from(
      { length: 8 },
      () => runWeep(t.home.home, ["credential_process", ROLE, "--log-level", "debug"]),
    ),
  );
  assertEquals(results.filter((r) => r.code !== 0).map((r) => r.stderr), []);
  assertEquals(new Set(results.map((r) => r.stdout)).size, 1);
  assertEquals(t.requests(), 1);
  const waited = results.filter((r) =>
    r.stderr.includes(
      "Served credentials another weep process just fetched, without loading the network code",
    )
  );
  // Seven printed from the fast path's wait (src/cli/main.ts exits there, before the full path is loaded).
  assertEquals(waited.length, 7, results.map((r) => r.stderr).join("\n---\n"));
});

Deno.test("50 parallel calls for 5 roles cause exactly five broker requests", async () => {
  await using t = await setup();
  const roles = [
    "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin",
    "arn:aws:iam::012345678901:role/consoleme_oss_1_test_user",
    "consoleme_oss_2_test_admin",
    "consoleme_oss_2_test_user",
    ROLE,
  ];
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => runWeep(t.home.home, ["credential_process", roles[i % 5]!])),
  );
  assertEquals(results.filter((r) => r.code !== 0).map((r) => r.stderr), []);
  assertEquals(t.requests(), 5);
  assertEquals(t.cm.count("/noauth/v1/challenge_generator/alice@example.com"), 1);
});

/** Rewrites the only cache entry as if it had been fetched `ageMinutes` ago with `leftMinutes` left. */
async function ageEntry(weepDir: string, ageMinutes: number, leftMinutes: number): Promise<void> {
  const [file] = await cacheFiles(`${weepDir}/cache`);
  const path = `${weepDir}/cache/${file}`;
  const entry = JSON.parse(await Deno.readTextFile(path));
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
  entry.fetchedAt = iso(Date.now() - ageMinutes * 60_000);
  entry.credentials.Expiration = iso(Date.now() + leftMinutes * 60_000);
  await Deno.writeTextFile(path, JSON.stringify(entry));
}

Deno.test("an entry with less than cache.min_remaining left is fetched again", async () => {
  await using t = await setup();
  await runWeep(t.home.home, ["credential_process", ROLE]);
  await ageEntry(t.home.weep, 50, 10);
  const result = await runWeep(t.home.home, ["credential_process", ROLE]);
  assertEquals(result.code, 0);
  assertEquals(t.requests(), 2);
  const expiration = new Date(JSON.parse(result.stdout).Expiration).getTime();
  assert(expiration - Date.now() > 50 * 60_000, "the refetched credentials have a full lifetime");
});

Deno.test("WEEP_CACHE_MIN_REMAINING changes the threshold", async () => {
  await using t = await setup();
  await runWeep(t.home.home, ["credential_process", ROLE]);
  await ageEntry(t.home.weep, 20, 40);
  const served = await runWeep(t.home.home, ["credential_process", ROLE]);
  assertEquals(served.code, 0);
  assertEquals(t.requests(), 1);
  const again = await runWeep(t.home.home, ["credential_process", ROLE], {
    env: { WEEP_CACHE_MIN_REMAINING: "45m" },
  });
  assertEquals(again.code, 0);
  assertEquals(t.requests(), 2);
});

Deno.test("a corrupt cache file is ignored and replaced", async () => {
  await using t = await setup();
  await runWeep(t.home.home, ["credential_process", ROLE]);
  const [file] = await cacheFiles(`${t.home.weep}/cache`);
  await Deno.writeTextFile(`${t.home.weep}/cache/${file}`, '{"v":1,"key":{"url":');
  const result = await runWeep(t.home.home, ["credential_process", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stderr, "");
  assertEquals(t.requests(), 2);
  JSON.parse(await Deno.readTextFile(`${t.home.weep}/cache/${file}`));
});

Deno.test("a killed lock holder does not block other processes", async () => {
  await using t = await setup();
  await Deno.mkdir(`${t.home.weep}/locks`, { recursive: true });
  // Every cold call needs the login lock first: a process holds it, then dies without releasing it.
  const lockPath = await loginLockPath(`${t.home.weep}/locks`, t.cm.url);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", HOLDER, lockPath],
    stdout: "piped",
    env: baseEnv(t.home.home),
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  assertStringIncludes(new TextDecoder().decode(value), "locked");
  const pending = runWeep(t.home.home, ["credential_process", ROLE]);
  child.kill("SIGKILL");
  await child.status;
  reader.releaseLock();
  await child.stdout.cancel();
  const result = await pending;
  assertEquals(result.code, 0, result.stderr);
  assertEquals(t.requests(), 1);
});

Deno.test("the cache never serves credentials of another user or ConsoleMe URL", async () => {
  await using t = await setup();
  const alice = await runWeep(t.home.home, ["credential_process", ROLE]);
  const bob = await runWeep(t.home.home, ["credential_process", ROLE], {
    env: { WEEP_CHALLENGE_SETTINGS_USER: "bob@example.com" },
  });
  assertEquals(bob.code, 0, bob.stderr);
  assert(alice.stdout !== bob.stdout);
  await using other = await startConsoleMe({ autoApprove: true });
  const elsewhere = await runWeep(t.home.home, ["credential_process", ROLE], {
    env: { WEEP_CONSOLEME_URL: other.url },
  });
  assertEquals(elsewhere.code, 0, elsewhere.stderr);
  assert(elsewhere.stdout !== alice.stdout && elsewhere.stdout !== bob.stdout);
  assertEquals(other.count("/api/v1/get_credentials"), 1);
});

Deno.test("a broker refusal removes the cached entry", async () => {
  await using t = await setup();
  await runWeep(t.home.home, ["credential_process", ROLE]);
  t.cm.fault("900");
  const refused = await runWeep(t.home.home, ["credential_process", "--no-cache", ROLE]);
  assertEquals(refused.code, 1);
  assertEquals(refused.stdout, "");
  assertEquals(await cacheFiles(`${t.home.weep}/cache`), []);
});

Deno.test("weep cache list shows keys and time left without secrets; clear empties it", async () => {
  await using t = await setup();
  const creds = JSON.parse((await runWeep(t.home.home, ["credential_process", ROLE])).stdout);
  const list = await runWeep(t.home.home, ["cache", "list"]);
  assertEquals(list.code, 0);
  assertStringIncludes(list.stdout, ROLE);
  assertStringIncludes(list.stdout, "alice@example.com");
  for (const secret of [creds.AccessKeyId, creds.SecretAccessKey, creds.SessionToken]) {
    assert(!list.stdout.includes(secret), "no secret in cache list");
  }
  const json = JSON.parse((await runWeep(t.home.home, ["cache", "list", "--json"])).stdout).credentials;
  assertEquals(json.length, 1);
  assertEquals(json[0].role, ROLE);
  assert(json[0].remaining > 3000);
  const other = await runWeep(t.home.home, ["cache", "clear", "nope"]);
  assertStringIncludes(other.stderr, "Removed 0 cached credential entries");
  const cleared = await runWeep(t.home.home, ["cache", "clear", ROLE]);
  assertEquals(cleared.code, 0);
  assertStringIncludes(cleared.stderr, "Removed 1 cached credential entry");
  assertEquals(await cacheFiles(`${t.home.weep}/cache`), []);
});

Deno.test("weep cache clear also forgets a failure kept for cache.failure_window", async () => {
  await using t = await setup();
  t.cm.fault("500");
  const failed = await runWeep(t.home.home, ["credential_process", ROLE]);
  assertEquals(failed.code, 1);
  const shared = await runWeep(t.home.home, ["credential_process", ROLE]);
  assertEquals([shared.code, t.requests()], [1, 1], "the second call took the first one's failure");
  assertEquals((await runWeep(t.home.home, ["cache", "clear"])).code, 0);
  const asked = await runWeep(t.home.home, ["credential_process", ROLE]);
  assertEquals([asked.code, t.requests()], [0, 2], asked.stderr);
});
