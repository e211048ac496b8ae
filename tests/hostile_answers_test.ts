/**
 * A ConsoleMe (or whoever answers for it: a wrong proxy, a hostile network in front of a plain-http ConsoleMe)
 * that answers badly on purpose gets nothing out of weep: no secret reaches stderr, no URI but ConsoleMe's own
 * reaches the desktop opener, and no text of its drives the terminal or forges a log line. Through the real CLI.
 */

import { assert, assertEquals, assertStringIncludes } from "./support/assert.ts";
import { fakeBrowser } from "./support/browser.ts";
import {
  assertNoSecretFragments,
  type CliResult,
  runWeep,
  type TempHome,
  tempHome,
  TEST_SECRETS,
} from "./support/cli.ts";
import { type ConsoleMeServer, startConsoleMe } from "./support/consoleme_server.ts";
import { configureFor, loggedInHome } from "./support/logged_in.ts";

const GENERATOR = "/noauth/v1/challenge_generator/*";
const POLLER = "/noauth/v1/challenge_poller/*";
/** Control characters a hostile answer uses to clear the screen, end lines and forge new ones. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

/** What the fake desktop opener was started with, one argument per line; `""` when it never ran. */
async function opened(home: TempHome): Promise<string> {
  return await Deno.readTextFile(`${home.home}/opened.txt`).catch(() => "");
}

/** A failure as the user sees it: exit 1, nothing on stdout, every part on stderr, no piece of a secret. */
function assertRefused(result: CliResult, ...parts: string[]): void {
  assertEquals(result.code, 1, result.stderr);
  assertEquals(result.stdout, "");
  for (const part of parts) assertStringIncludes(result.stderr, part);
  assertNoSecretFragments(result.stderr);
}

/** Makes up a secret the test ConsoleMe did not mint, and registers it so no output may contain it. */
function fakeSecret(text: string): string {
  TEST_SECRETS.add(text);
  return text;
}

Deno.test("a credentials answer cut off inside its secrets is never quoted on stderr", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  cm.fault("cut");
  const result = await runWeep(home.home, ["credential_process", "test_account_user"]);
  assertRefused(result, `error: ConsoleMe at "${cm.url}" sent a response that is not valid JSON (HTTP 200)`);
  assertEquals(cm.minted.length, 1, "ConsoleMe minted the credentials it then sent cut off");
  for (const name of ["AccessKeyId", "SecretAccessKey", "SessionToken", "It began with"]) {
    assert(!result.stderr.includes(name), `stderr quotes the body (${name}):\n${result.stderr}`);
  }
});

Deno.test("a login poller answer with a JWT cut off is never quoted on stderr", async () => {
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  await configureFor(home, cm);
  const { jwt, expiration } = await cm.issueJwt();
  const body = `{"status": "success", "cookie_name": "consoleme_auth", "expiration": ${expiration}, ` +
    `"encoded_jwt": "${jwt.slice(0, 120)}`;
  cm.fault("body", { endpoint: POLLER, body, times: Infinity });
  const result = await runWeep(home.home, ["list"], { env: await fakeBrowser(home) });
  assertRefused(result, `error: ConsoleMe at "${cm.url}" sent a response that is not valid JSON (HTTP 200)`);
  assert(!result.stderr.includes("encoded_jwt"), result.stderr);
  assert(!result.stderr.includes("eyJ"), result.stderr);
});

Deno.test("an error answer elsewhere is quoted shortened, with keys, tokens, JWTs and cookies removed", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const keyId = fakeSecret("AKIAQWERTYUIOPASDFGH");
  const secret = fakeSecret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  const cookie = fakeSecret("Zm9vYmFyYmF6cXV4cXV1eA");
  const { jwt } = await cm.issueJwt();
  const body = `upstream failed: key ${keyId} secret ${secret}\nCookie: consoleme_auth=${cookie}\n` +
    `token ${jwt} ${"padding ".repeat(40)}`;
  cm.fault("body", { endpoint: "/api/v2/get_roles", status: 502, body });
  const result = await runWeep(home.home, ["list"]);
  assertRefused(
    result,
    `error: ConsoleMe at "${cm.url}" sent a response that is not valid JSON (HTTP 502)`,
    "  It began with: upstream failed: key [redacted] secret [redacted] Cookie: [redacted] token [redacted] padding",
  );
  assertStringIncludes(result.stderr, "...\n");
});

/** Arms a generator answer with these URLs, runs `weep list` with a fake desktop opener; the result. */
async function loginWith(
  cm: ConsoleMeServer,
  home: TempHome,
  urls: { challenge_url: string; polling_url: string },
): Promise<CliResult> {
  cm.fault("body", { endpoint: GENERATOR, body: JSON.stringify(urls) });
  return await runWeep(home.home, ["list"], { env: await fakeBrowser(home) });
}

Deno.test("a challenge_url that is not ConsoleMe's ends the login naming its scheme and host; nothing is opened", async (t) => {
  await using cm = await startConsoleMe();
  const poller = `${cm.url}/noauth/v1/challenge_poller/x`;
  const cases: [string, string][] = [
    ["file:///etc/passwd", `scheme "file:" and host "(none)" are not ConsoleMe's`],
    ["smb://fileserver/share", `scheme "smb:" and host "fileserver" are not ConsoleMe's`],
    ["javascript:alert(document.cookie)", `scheme "javascript:" and host "(none)" are not ConsoleMe's`],
    ["--help", '"--help" is not an absolute URL'],
    [
      "https://evil.example/challenge_validator/x",
      `scheme "https:" and host "evil.example" are not ConsoleMe's`,
    ],
  ];
  for (const [url, named] of cases) {
    await t.step(url, async () => {
      await using home = await tempHome();
      await configureFor(home, cm);
      const result = await loginWith(cm, home, { challenge_url: url, polling_url: poller });
      assertRefused(result, `error: Refusing the challenge_url ConsoleMe sent: ${named}`);
      assertEquals(await opened(home), "", "the opener never ran");
    });
  }
});

Deno.test("a polling_url on another host ends the login before anything is opened or polled", async () => {
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  await configureFor(home, cm);
  const result = await loginWith(cm, home, {
    challenge_url: `${cm.url}/challenge_validator/x`,
    polling_url: "http://169.254.169.254/latest/meta-data/",
  });
  assertRefused(
    result,
    'error: Refusing the polling_url ConsoleMe sent: scheme "http:" and host "169.254.169.254" are not ConsoleMe\'s',
    "trusted_origins",
  );
  assertEquals(await opened(home), "");
});

Deno.test("trusted_origins lets a login page on another origin through", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await tempHome();
  const other = cm.url.replace("127.0.0.1", "localhost");
  await configureFor(home, cm, `trusted_origins:\n  - ${other}\n`);
  const token = crypto.randomUUID();
  const urls = {
    challenge_url: `${other}/challenge_validator/${token}`,
    polling_url: `${cm.url}/noauth/v1/challenge_poller/x`,
  };
  cm.fault("body", { endpoint: GENERATOR, body: JSON.stringify(urls) });
  const result = await runWeep(home.home, ["list", "-s"], { env: await fakeBrowser(home) });
  // The login page opened; the made-up poller then fails the login, which is not this test's business.
  assertEquals(await opened(home), `${urls.challenge_url}\n`);
  assert(!result.stderr.includes("Refusing"), result.stderr);
});

Deno.test("weep open refuses a resource link ConsoleMe sent for another host, with or without --no-open", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  for (const args of [[], ["--no-open"]]) {
    cm.fault("body", {
      endpoint: "/api/v2/get_resource_url",
      body: JSON.stringify({ data: { url: "https://evil.example/phish" } }),
    });
    const result = await runWeep(home.home, ["open", "arn:aws:s3:::bucket", ...args], {
      env: await fakeBrowser(home),
    });
    assertRefused(
      result,
      'error: Refusing the link ConsoleMe sent: scheme "https:" and host "evil.example" are not ConsoleMe\'s',
    );
  }
  assertEquals(await opened(home), "");
});

Deno.test("role ARNs with escape sequences, CR, NUL and newlines reach stderr on one line, escaped", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  cm.setRoles([
    "arn:aws:iam::012345678903:role/test_account_user",
    "arn:aws:iam::012345678903:role/x\x1b[2J\x00\rerror: forged\nwarning: also forged",
  ]);
  const result = await runWeep(home.home, ["generate"]);
  assertEquals(result.code, 0, result.stderr);
  assert(!CONTROL.test(result.stderr), `raw control characters on stderr: ${JSON.stringify(result.stderr)}`);
  assertStringIncludes(
    result.stderr,
    'warning: Skipped role "arn:aws:iam::012345678903:role/x?[2J? error: forged warning: also forged": its ARN',
  );
  assert(!/^(error: forged|warning: also forged)/m.test(result.stderr), result.stderr);
});

Deno.test("ConsoleMe's error messages reach stderr on one line, escaped", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  cm.fault("902", { message: "Denied\x1b[2J\x07\r\nerror: forged line", exception: "boom\u202eevil" });
  const result = await runWeep(home.home, ["credential_process", "test_account_user"]);
  assertRefused(
    result,
    'error: ConsoleMe could not get credentials for "test_account_user": Denied?[2J? error: forged line: boom?evil\n',
  );
  assert(!CONTROL.test(result.stderr), JSON.stringify(result.stderr));
  assert(!/^error: forged/m.test(result.stderr), result.stderr);
});
