import { challengeAuth, type ChallengeDeps, login } from "../../src/auth/challenge.ts";
import { findSession, type Session, writeSession } from "../../src/auth/session.ts";
import { createClient } from "../../src/consoleme/client.ts";
import { AuthRejectedError } from "../../src/consoleme/errors.ts";
import { memoryOutput } from "../../src/platform/output.ts";
import { USER_AGENT } from "../../src/version.ts";
import { WeepError } from "../../src/errors.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { runWeep, type TempHome, tempHome } from "../support/cli.ts";
import {
  type ApprovalResult,
  approveInBrowser,
  type ConsoleMeServer,
  type ConsoleMeServerOptions,
  startConsoleMe,
} from "../support/consoleme_server.ts";
import { configureFor, sessionStore } from "../support/logged_in.ts";

const USER = "user@example.com";
const GENERATOR = "/noauth/v1/challenge_generator/";
const ROLE = "arn:aws:iam::012345678903:role/test_account_user";

/** A test bed: a ConsoleMe, a temp home, and challenge deps whose "browser" approves as `browserUser`. */
async function bed(serverOptions: ConsoleMeServerOptions = {}, browserUser: string | false = USER) {
  const cm = await startConsoleMe(serverOptions);
  const home = await tempHome();
  const out = memoryOutput();
  const opened: string[] = [];
  const approvals: Promise<ApprovalResult>[] = [];
  const deps: ChallengeDeps = {
    baseUrl: cm.url,
    http: { fetch, timeoutMs: 5000, userAgent: USER_AGENT },
    configuredUser: USER,
    sessions: sessionStore(home),
    output: out.output,
    open: (url) => {
      opened.push(url);
      // The browser approves while weep polls, as a user clicking Approve would.
      if (browserUser !== false) approvals.push(approveInBrowser(url, browserUser));
      return Promise.resolve(browserUser !== false);
    },
    now: () => new Date(),
    pollMs: 20,
    maxWaitMs: 5000,
  };
  return {
    cm,
    home,
    out,
    deps,
    opened,
    approvals,
    generated: () => cm.requests.filter((r) => r.path.startsWith(GENERATOR)).length,
    async [Symbol.asyncDispose]() {
      await Promise.allSettled(approvals);
      await cm.close();
      await home[Symbol.asyncDispose]();
    },
  };
}

function hintsOf(error: Error): string[] {
  assert(error instanceof WeepError, `expected a WeepError, got ${error.name}`);
  return error.hints;
}

async function storeSession(cm: ConsoleMeServer, home: TempHome, extra: Partial<Session> = {}) {
  const issued = await cm.issueJwt(USER);
  const session: Session = {
    cookie_name: issued.cookieName,
    encoded_jwt: issued.jwt,
    expiration: issued.expiration,
    user: issued.user,
    consoleme_url: cm.url,
    ...extra,
  };
  await writeSession(sessionStore(home), session);
  return session;
}

Deno.test("login: generator, browser approval, poll; the session names the user and the ConsoleMe", async () => {
  await using t = await bed();
  const session = await login(t.deps, USER);
  assertEquals(t.opened.length, 1);
  assertMatch(t.opened[0]!, new RegExp(`^${t.cm.url}/challenge_validator/[0-9a-f-]{36}$`));
  assertEquals((await t.approvals[0])?.approved, true);
  assertEquals(session.cookie_name, "consoleme_auth");
  assertEquals(session.user, USER);
  assertEquals(session.consoleme_url, t.cm.url);
  assert(session.expiration > Date.now() / 1000 + 3000);
  assertEquals(t.cm.requests[0]!.path, `${GENERATOR}${USER}`);
  const stderr = t.out.stderr();
  assertStringIncludes(stderr, `info: Opened the ConsoleMe login page in your browser: ${t.opened[0]}`);
  assertStringIncludes(stderr, `info: Logged in to ConsoleMe as ${USER}`);
  assert(!stderr.includes(session.encoded_jwt), "the JWT never reaches stderr");
});

Deno.test("login: without a browser the challenge URL is printed as a warning", async () => {
  await using t = await bed({ autoApprove: true }, false);
  await login(t.deps, USER);
  assertStringIncludes(
    t.out.stderr(),
    `warning: Log in to ConsoleMe: open this URL in a browser and approve: ${t.opened[0]}`,
  );
});

Deno.test("login: a user name with spaces or slashes is escaped in the generator path", async () => {
  const user = "Dev Team/alice@example.com";
  await using t = await bed({}, user);
  const session = await login(t.deps, user);
  assertEquals(session.user, user);
  assertEquals(t.cm.requests[0]!.path, `${GENERATOR}Dev%20Team%2Falice@example.com`);
});

Deno.test("login: no user configured says how to set one and sends nothing", async () => {
  await using t = await bed();
  const error = await assertRejects(() => login(t.deps, ""), "No ConsoleMe user is set for challenge login");
  assertStringIncludes(
    hintsOf(error).join("\n"),
    "challenge_settings:\n    user: you@example.com",
  );
  assertStringIncludes(hintsOf(error).join("\n"), "WEEP_CHALLENGE_SETTINGS_USER");
  assertEquals(t.cm.requests.length, 0);
});

Deno.test("login: a login that is never approved ends after maxWaitMs with the timeout message", async () => {
  await using t = await bed({}, false);
  t.deps.maxWaitMs = 1000;
  const started = Date.now();
  const error = await assertRejects(() => login(t.deps, USER));
  assertEquals(error.message, "The ConsoleMe login was not approved within 1 s");
  assertStringIncludes(hintsOf(error)[0]!, "approve the login page");
  const elapsed = Date.now() - started;
  assert(elapsed >= 1000 && elapsed < 2500, `gave up after ${elapsed} ms`);
  assert(t.cm.count(t.cm.pendingChallenges()[0]!.pollingUrl.replace(t.cm.url, "")) > 5, "it kept polling");
});

Deno.test("login: a challenge that expires on the server stops polling with 'expired'", async () => {
  let now = Date.now();
  await using t = await bed({ clock: () => now }, false);
  t.deps.open = (url) => {
    t.opened.push(url);
    now += 121_000;
    return Promise.resolve(false);
  };
  const error = await assertRejects(() => login(t.deps, USER));
  assertEquals(error.message, "The ConsoleMe login request expired before it was approved");
  assertStringIncludes(hintsOf(error)[0]!, "within 2 minutes");
});

Deno.test("login: 'unauthorized' (the poll came from another IP) says a proxy may be in the way", async () => {
  await using t = await bed({}, false);
  t.deps.http.fetch = (input, init) =>
    String(input).includes("/challenge_poller/")
      ? Promise.resolve(Response.json({ status: "unauthorized" }))
      : fetch(input, init);
  const error = await assertRejects(() => login(t.deps, USER));
  assertEquals(
    error.message,
    "ConsoleMe refused the login: this machine's IP differs from the one that started it",
  );
  assertStringIncludes(hintsOf(error)[0]!, "HTTPS_PROXY");
});

Deno.test("login: a ConsoleMe without challenge login, and a poll success without a JWT", async () => {
  await using t = await bed({}, false);
  t.cm.fault("html", { endpoint: `${GENERATOR}*` });
  await assertRejects(() => login(t.deps, USER), "answered with HTML, not JSON: check consoleme_url");
  t.cm.fault("500", { endpoint: `${GENERATOR}*` });
  const failed = await assertRejects(() => login(t.deps, USER));
  assertEquals(failed.message, `ConsoleMe at "${t.cm.url}" did not start a challenge login (HTTP 500)`);
  // The generator's answer starts a login: it is never quoted.
  assertEquals(hintsOf(failed), [
    "Check that challenge_url.enabled is on in ConsoleMe, or use authentication_method: mtls",
  ]);
  t.deps.http.fetch = () => Promise.resolve(Response.json({ message: "disabled" }));
  const error = await assertRejects(() => login(t.deps, USER));
  assertEquals(error.message, `ConsoleMe at "${t.cm.url}" did not start a challenge login`);
  t.deps.http.fetch = (input) =>
    Promise.resolve(
      Response.json(
        String(input).includes(GENERATOR)
          ? {
            challenge_url: `${t.cm.url}/challenge_validator/x`,
            polling_url: `${t.cm.url}/noauth/v1/challenge_poller/x`,
          }
          : { status: "success", cookie_name: "consoleme_auth" },
      ),
    );
  await assertRejects(() => login(t.deps, USER), "answered the login poll without a session");
});

Deno.test("challengeAuth reuses a stored session without any request", async () => {
  await using t = await bed();
  const stored = await storeSession(t.cm, t.home);
  const auth = challengeAuth(t.deps);
  assertEquals(await auth.cookie(), { name: "consoleme_auth", value: stored.encoded_jwt });
  assertEquals(t.cm.requests.length, 0);
});

Deno.test("challengeAuth logs in again for an expiring session or one for another ConsoleMe, and stores it", async () => {
  const soon = Math.floor(Date.now() / 1000) + 30;
  for (const extra of [{ expiration: soon }, { consoleme_url: "https://other" }]) {
    await using t = await bed();
    const old = await storeSession(t.cm, t.home, { ...extra, encoded_jwt: "eyJ.stale-or-foreign.jwt" });
    t.deps.configuredUser = "";
    const cookie = await challengeAuth(t.deps).cookie();
    assert(cookie?.value !== old.encoded_jwt);
    assertEquals(t.generated(), 1);
    // With no user configured, the stored session's user is the one logging in.
    assertEquals(t.cm.requests[0]!.path, `${GENERATOR}${USER}`);
    const saved = await findSession(t.deps.sessions, t.cm.url);
    assertEquals(saved?.encoded_jwt, cookie?.value);
    assertEquals(saved?.consoleme_url, t.cm.url);
  }
});

Deno.test("single flight in one process: concurrent logins generate one challenge", async () => {
  await using t = await bed();
  const first = challengeAuth(t.deps);
  const second = challengeAuth(t.deps);
  const cookies = await Promise.all([first.cookie(), second.cookie(), first.cookie()]);
  assertEquals(t.generated(), 1);
  assertEquals(new Set(cookies.map((c) => c?.value)).size, 1);
});

Deno.test("single flight across processes: two weeps started together generate one challenge", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await tempHome();
  await configureFor(home, cm);
  const runs = await Promise.all([
    runWeep(home.home, ["credential_process", "--no-cache", "test_account_user"]),
    runWeep(home.home, ["credential_process", "--no-cache", "consoleme_oss_2_test_admin"]),
  ]);
  for (const run of runs) assertEquals(run.code, 0, run.stderr);
  assertEquals(cm.requests.filter((r) => r.path.startsWith(GENERATOR)).length, 1);
  assertEquals(cm.count("/api/v1/get_credentials"), 2);
  assertEquals(
    runs.map((run) => run.stderr.includes("Log in to ConsoleMe")).filter(Boolean).length,
    1,
    "only one process asked the user to log in",
  );
});

Deno.test("invalid_jwt: the stored session is discarded and weep logs in once, then retries", async () => {
  await using t = await bed();
  const old = await storeSession(t.cm, t.home);
  await t.cm.rotateSecret();
  const client = createClient({ baseUrl: t.cm.url, http: t.deps.http, auth: challengeAuth(t.deps) });
  const result = await client.getCredentials({ role: ROLE, noIp: false });
  assertEquals(result.credentials.accessKeyId, t.cm.minted[0]!.accessKeyId);
  assertEquals(t.generated(), 1);
  const saved = await findSession(t.deps.sessions, t.cm.url);
  assert(saved !== undefined && saved.encoded_jwt !== old.encoded_jwt, "the new login is stored");
  assertStringIncludes(
    t.out.stderr(),
    "warning: ConsoleMe no longer accepts the stored login; logging in again",
  );
});

Deno.test("invalid_jwt after a fresh login is an error: weep does not log in a second time", async () => {
  await using t = await bed();
  await storeSession(t.cm, t.home);
  t.cm.fault("invalid_jwt", { times: 3 });
  const client = createClient({ baseUrl: t.cm.url, http: t.deps.http, auth: challengeAuth(t.deps) });
  const error = await assertRejects(() => client.getCredentials({ role: ROLE, noIp: false }));
  assert(error instanceof AuthRejectedError);
  assertEquals(t.generated(), 1);
  assertEquals(t.cm.count("/api/v1/get_credentials"), 2);
});

Deno.test("a 403 problem+json although the cookie was sent (ConsoleMe renamed it) logs in again", async () => {
  await using t = await bed();
  await storeSession(t.cm, t.home, { cookie_name: "old_auth" });
  const client = createClient({ baseUrl: t.cm.url, http: t.deps.http, auth: challengeAuth(t.deps) });
  await client.getCredentials({ role: ROLE, noIp: false });
  assertEquals(t.generated(), 1);
  const calls = t.cm.requests.filter((r) => r.path === "/api/v1/get_credentials");
  assertEquals(calls.map((r) => r.cookieNames), [["old_auth"], ["consoleme_auth"]]);
  assertEquals((await findSession(t.deps.sessions, t.cm.url))?.cookie_name, "consoleme_auth");
});

Deno.test("a rejected session is not discarded when another process already stored a newer one", async () => {
  await using t = await bed();
  await storeSession(t.cm, t.home);
  const auth = challengeAuth(t.deps);
  const client = createClient({ baseUrl: t.cm.url, http: t.deps.http, auth });
  await client.getRoleArns();
  // Another weep logged in again meanwhile (after a server restart), replacing the file.
  await t.cm.rotateSecret();
  const newer = await storeSession(t.cm, t.home);
  await client.getCredentials({ role: ROLE, noIp: false });
  assertEquals(t.generated(), 0);
  assertEquals((await findSession(t.deps.sessions, t.cm.url))?.encoded_jwt, newer.encoded_jwt);
});

Deno.test("login: a poller error is retried briefly, and the login goes on when the poller recovers", async () => {
  await using t = await bed();
  t.cm.fault("500", { endpoint: "/noauth/v1/challenge_poller/*", times: 2 });
  const session = await login(t.deps, USER);
  assertEquals(session.user, USER);
});

Deno.test("login: a poller that keeps failing ends the login with the status and ConsoleMe's message", async () => {
  await using t = await bed({}, false);
  t.cm.fault("500", { endpoint: "/noauth/v1/challenge_poller/*", times: Infinity });
  const error = await assertRejects(() => login(t.deps, USER));
  assertEquals(error.message, "ConsoleMe's login poller answered HTTP 500: Internal Server Error");
  assertEquals((error as WeepError).failure, "transient");
  assertEquals(t.cm.count(t.cm.pendingChallenges()[0]!.pollingUrl.replace(t.cm.url, "")), 3);
  t.deps.http.fetch = (input, init) =>
    String(input).includes("/challenge_poller/")
      ? Promise.resolve(Response.json({ status: "unknown" }))
      : fetch(input, init);
  const unknown = await assertRejects(() => login(t.deps, USER));
  assertEquals(unknown.message, 'ConsoleMe no longer knows this login request (the poller says "unknown")');
});

Deno.test("challengeAuth: a login that just failed is not started again by the next process", async () => {
  await using t = await bed({}, false);
  t.cm.fault("500", { endpoint: `${GENERATOR}*`, times: Infinity });
  const first = await assertRejects(() => challengeAuth(t.deps).cookie());
  assertEquals(first.message, `ConsoleMe at "${t.cm.url}" did not start a challenge login (HTTP 500)`);
  const second = await assertRejects(() => challengeAuth(t.deps).cookie());
  assertEquals([second.message, (second as WeepError).failure], [first.message, "transient"]);
  assertEquals(t.generated(), 1, "the second login took the first one's answer");
  // Once the window is over, weep asks again.
  t.deps.failureWindowMs = 0;
  await assertRejects(() => challengeAuth(t.deps).cookie());
  assertEquals(t.generated(), 2);
});
