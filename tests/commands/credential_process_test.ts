import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import denoJson from "../../deno.json" with { type: "json" };
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { type CliResult, runWeep, tempHome } from "../support/cli.ts";
import { type ConsoleMeServer, type FaultKind, startConsoleMe } from "../support/consoleme_server.ts";
import { configureFor, loggedInHome, sessionStore, storedSession } from "../support/logged_in.ts";
import { writeSession } from "../../src/auth/session.ts";
import { startMoto } from "../support/moto.ts";

const ROLE = "arn:aws:iam::012345678903:role/test_account_user";
const JSON_LINE =
  /^\{"Version":1,"AccessKeyId":"[^"]+","SecretAccessKey":"[^"]+","SessionToken":"[^"]+","Expiration":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}\n$/;
const REQUEST_ID = /ConsoleMe request id: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\n/;

/** Runs `weep credential_process ROLE` in a fresh, logged-in home (no cache shared between scenarios). */
async function credentialProcess(
  cm: ConsoleMeServer,
  role = "test_account_user",
  options: { yaml?: string; args?: string[]; env?: Record<string, string> } = {},
): Promise<CliResult> {
  await using home = await loggedInHome(cm, options.yaml ?? "");
  return await runWeep(home.home, [...(options.args ?? []), "credential_process", role], {
    env: options.env ?? {},
  });
}

/** A failure as the user sees it: exit 1, nothing on stdout, the message on stderr. */
function assertFails(result: CliResult, ...parts: string[]): void {
  assertEquals(result.code, 1, result.stderr);
  assertEquals(result.stdout, "", "stdout must stay empty when weep fails");
  for (const part of parts) assertStringIncludes(result.stderr, part);
}

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("credential_process prints one JSON line with ConsoleMe's credentials and Expiration in UTC", async () => {
  await using cm = await startConsoleMe();
  // A local zone far from UTC: the output must still end in Z.
  const result = await credentialProcess(cm, "test_account_user", { env: { TZ: "America/Los_Angeles" } });
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, JSON_LINE);
  assertEquals(result.stderr, "");
  const printed = JSON.parse(result.stdout);
  assertEquals(Object.keys(printed), [
    "Version",
    "AccessKeyId",
    "SecretAccessKey",
    "SessionToken",
    "Expiration",
  ]);
  const minted = cm.minted[0]!;
  assertEquals(minted.roleArn, ROLE);
  assertEquals(printed.AccessKeyId, minted.accessKeyId);
  assertEquals(
    printed.Expiration,
    new Date(minted.expiration * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  );
  assert(printed.SecretAccessKey.includes("/"), "ujson's \\/ escape is decoded");
});

Deno.test("credential_process sends weep/<version> (Deno), the role, and no_ip_restrictions false", async () => {
  await using cm = await startConsoleMe();
  const result = await credentialProcess(cm, ROLE);
  assertEquals(result.code, 0, result.stderr);
  const request = cm.requests[0]!;
  assertEquals(request.userAgent, `weep/${denoJson.version} (Deno)`);
  assertEquals(request.contentType, "application/json");
  assertEquals(JSON.parse(request.body), { requested_role: ROLE, no_ip_restrictions: false });
  assertEquals(cm.requests.length, 1);
});

Deno.test("-n sends no_ip_restrictions: true", async () => {
  await using cm = await startConsoleMe({ mfa: "approve" });
  const result = await credentialProcess(cm, "test_account_user", { args: ["-n"] });
  assertEquals(result.code, 0, result.stderr);
  assertEquals(JSON.parse(cm.requests[0]!.body).no_ip_restrictions, true);
  cm.settings.mfa = "deny";
  assertFails(
    await credentialProcess(cm, "test_account_user", { args: ["--no-ip"] }),
    'error: ConsoleMe could not get credentials for "test_account_user": MFA Not Successful',
    "--no-ip needs an approved MFA push; try again without -n",
  );
});

Deno.test("a first run logs in through the challenge; stdout still holds only the JSON", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await tempHome();
  await configureFor(home, cm);
  const result = await runWeep(home.home, ["credential_process", "test_account_user"]);
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, JSON_LINE);
  assertMatch(
    result.stderr,
    /Log in to ConsoleMe: open this URL in a browser and approve: http:\S+\/challenge_validator\//,
  );
  assertStringIncludes(result.stderr, "info: Logged in to ConsoleMe as user@example.com");
  const session = await storedSession(home, cm);
  assertEquals([session?.user, session?.consoleme_url], ["user@example.com", cm.url]);
});

Deno.test("ConsoleMe's error codes: exit 1, empty stdout, a message that says what to do", async (t) => {
  await using cm = await startConsoleMe();
  const cases: { name: string; fault?: FaultKind; role?: string; yaml?: string; expect: string[] }[] = [
    {
      name: "899",
      fault: "899",
      expect: [
        'error: ConsoleMe refused the role ARN "test_account_user": Invalid Role ARN.',
        "Pass the full role ARN",
      ],
    },
    {
      name: "900",
      role: "no_such_role",
      expect: [
        'error: No role you may use matches "no_such_role"',
        "Run `weep list` to see the roles you can use",
      ],
    },
    {
      name: "901 lists the matching ARNs",
      role: "consoleme_oss_1",
      expect: [
        'error: Found more than one matching role for "consoleme_oss_1"',
        "  Pass one of these role ARNs instead:\n" +
        "    arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin\n" +
        "    arn:aws:iam::012345678901:role/consoleme_oss_1_test_user\n",
      ],
    },
    {
      name: "902 shows the server's message",
      fault: "902",
      expect: [
        'error: ConsoleMe could not get credentials for "test_account_user": Unable to get credentials.: ' +
        "An error occurred (AccessDenied) when calling the AssumeRole operation: not authorized to assume role",
      ],
    },
    {
      name: "903 with HTTP 200",
      fault: "903",
      expect: ['error: ConsoleMe returned no credentials for "test_account_user": Requested role not found'],
    },
    {
      name: "904 shows the validation text",
      fault: "904",
      expect: [
        // ConsoleMe's multi-line text stays on the error's line (a broker cannot start lines of its own).
        'error: ConsoleMe rejected weep\'s request: Invalid JSON sent to the server: { "requested_role": [ "Not a valid string." ] }\n',
      ],
    },
    {
      name: "904 from metadata hints at the feature flag",
      yaml: "feature_flags:\n  consoleme_metadata: true\n",
      expect: [
        '"metadata": [ "Unknown field." ]',
        "This server does not accept metadata: set feature_flags.consoleme_metadata to false",
      ],
    },
    {
      name: "905 adds mtls_settings.old_cert_message",
      fault: "905",
      yaml: "mtls_settings:\n  old_cert_message: Run `certtool refresh` and try again\n",
      expect: [
        "error: MTLS certificate is too old. Please refresh your certificate. Max cert age for " + ROLE,
        "  Run `certtool refresh` and try again\n",
      ],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      if (c.fault) cm.fault(c.fault);
      const result = await credentialProcess(cm, c.role, { yaml: c.yaml ?? "" });
      assertFails(result, ...c.expect);
      assertMatch(result.stderr, REQUEST_ID);
      assertEquals(cm.minted.length, 0);
    });
  }
});

Deno.test("invalid_jwt: weep discards the session, logs in again once, and succeeds", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  const before = (await storedSession(home, cm))?.encoded_jwt;
  await cm.rotateSecret();
  const result = await runWeep(home.home, ["credential_process", "test_account_user"]);
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, JSON_LINE);
  assertStringIncludes(
    result.stderr,
    "warning: ConsoleMe no longer accepts the stored login; logging in again",
  );
  assertEquals(cm.count("/api/v1/get_credentials"), 2);
  assertEquals(cm.requests.filter((r) => r.path.startsWith("/noauth/v1/challenge_generator/")).length, 1);
  assert(before !== (await storedSession(home, cm))?.encoded_jwt, "the new login replaced the old");
});

Deno.test("an unknown error status from the credentials endpoint shows the status, never the body", async () => {
  const body = JSON.stringify({ oops: "x".repeat(400) });
  await using proxy = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(body, { status: 418, headers: { "content-type": "application/json" } }),
  );
  const url = `http://127.0.0.1:${proxy.addr.port}`;
  await using home = await tempHome();
  await home.writeConfig(`consoleme_url: ${url}\nchallenge_settings:\n  user: user@example.com\n`);
  const session = {
    cookie_name: "consoleme_auth",
    encoded_jwt: "eyJhbGciOiJIUzI1NiJ9.e30.not-checked-by-this-server",
    expiration: Math.floor(Date.now() / 1000) + 3600,
    user: "user@example.com",
    consoleme_url: url,
  };
  await writeSession(sessionStore(home), session);
  const result = await runWeep(home.home, ["credential_process", "test_account_user"]);
  assertFails(result, "error: ConsoleMe answered with an unexpected response (HTTP 418)");
  assert(!result.stderr.includes("oops"), result.stderr);
});

Deno.test("transport faults: 500, HTML, garbage JSON, a dropped connection", async (t) => {
  await using cm = await startConsoleMe();
  const cases: [FaultKind, string[]][] = [
    ["500", ["error: ConsoleMe answered HTTP 500: Internal Server Error"]],
    ["html", [`error: ConsoleMe at "${cm.url}" answered with HTML, not JSON: check consoleme_url`]],
    ["garbage", [`error: ConsoleMe at "${cm.url}" sent a response that is not valid JSON (HTTP 200)`]],
    ["drop", [`error: Cannot reach ConsoleMe at "${cm.url}": the connection was closed without an answer`]],
  ];
  for (const [fault, expect] of cases) {
    await t.step(fault, async () => {
      cm.fault(fault);
      const result = await credentialProcess(cm);
      assertFails(result, ...expect);
      assert(!result.stderr.includes("ASIA"), "no part of a credentials body is ever shown");
    });
  }
});

Deno.test("a ConsoleMe that never answers: server.http_timeout ends the wait, and no later", async () => {
  await using cm = await startConsoleMe();
  cm.fault("slow");
  const started = Date.now();
  const result = await credentialProcess(cm, "test_account_user", { yaml: "server:\n  http_timeout: 1\n" });
  const elapsed = Date.now() - started;
  assertFails(
    result,
    `error: ConsoleMe at "${cm.url}" did not answer within 1 s`,
    "server.http_timeout sets the limit",
  );
  assert(elapsed < 5000, `weep took ${elapsed} ms`);
});

Deno.test("unreachable ConsoleMe: connection refused and a host name that does not resolve", async () => {
  await using home = await tempHome();
  const refused = `http://127.0.0.1:${closedPort()}`;
  await home.writeConfig(`consoleme_url: ${refused}\nchallenge_settings:\n  user: user@example.com\n`);
  assertFails(
    await runWeep(home.home, ["credential_process", "test_account_user"]),
    `error: Cannot reach ConsoleMe at "${refused}": connection refused`,
    "Check consoleme_url in ~/.aws/weep/weep.yaml and your network",
  );
  await home.writeConfig(
    "consoleme_url: https://nonexistent.invalid\nchallenge_settings:\n  user: user@example.com\n",
  );
  assertFails(
    await runWeep(home.home, ["credential_process", "test_account_user"]),
    'error: Cannot reach ConsoleMe at "https://nonexistent.invalid": the host name does not resolve',
  );
});

Deno.test("a trailing slash in consoleme_url works", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  await home.writeConfig(`consoleme_url: ${cm.url}/\nchallenge_settings:\n  user: user@example.com\n`);
  const result = await runWeep(home.home, ["credential_process", "test_account_user"]);
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, JSON_LINE);
  assertEquals(cm.requests.map((r) => r.path), ["/api/v1/get_credentials"]);
});

Deno.test("no consoleme_url, and no user for the challenge login, each say what to set", async () => {
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  assertFails(
    await runWeep(home.home, ["credential_process", "test_account_user"]),
    "error: consoleme_url is not set: weep does not know which ConsoleMe to ask",
  );
  await home.writeConfig(`consoleme_url: ${cm.url}\n`);
  assertFails(
    await runWeep(home.home, ["credential_process", "test_account_user"]),
    "error: No ConsoleMe user is set for challenge login",
    "challenge_settings:",
  );
  assertEquals(cm.requests.length, 0);
});

Deno.test("-A chains through STS (moto): Expiration and identity are the final role's", async () => {
  await using moto = await startMoto();
  if (!moto) return;
  // ConsoleMe's credentials last 20 minutes, the chained role's an hour: the printed expiry tells them apart.
  await using cm = await startConsoleMe({ sts: moto.url, expireIn: 1200 });
  const chained = "arn:aws:iam::012345678902:role/consoleme_oss_2_test_user";
  const started = Date.now();
  const result = await credentialProcess(cm, "test_account_user", {
    args: ["-A", chained],
    env: { AWS_ENDPOINT_URL_STS: moto.url },
  });
  assertEquals(result.code, 0, result.stderr);
  assertMatch(result.stdout, JSON_LINE);
  const printed = JSON.parse(result.stdout);
  const minted = cm.minted[0]!;
  assert(printed.AccessKeyId !== minted.accessKeyId, "the chained role's keys are printed");
  const expires = Date.parse(printed.Expiration);
  assert(
    Math.abs(expires - (started + 3600_000)) < 60_000,
    `Expiration ${printed.Expiration} is not about an hour from now`,
  );
  const sts = new STSClient({
    region: "us-east-1",
    endpoint: moto.url,
    credentials: {
      accessKeyId: printed.AccessKeyId,
      secretAccessKey: printed.SecretAccessKey,
      sessionToken: printed.SessionToken,
    },
  });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assertEquals(
      identity.Arn,
      "arn:aws:sts::012345678902:assumed-role/consoleme_oss_2_test_user/user@example.com",
    );
  } finally {
    sts.destroy();
  }
});

Deno.test("-A with something that is not a role ARN: usage error (exit 2), nothing on stdout, no request", async () => {
  await using cm = await startConsoleMe();
  const result = await credentialProcess(cm, "test_account_user", { args: ["-A", "not-an-arn"] });
  assertEquals([result.code, result.stdout], [2, ""]);
  assertStringIncludes(result.stderr, 'Invalid role ARN "not-an-arn" for --assume-role');
  assertEquals(cm.count("/api/v1/get_credentials"), 0);
});
