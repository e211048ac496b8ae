import { type ClientOptions, createClient, type RequestAuth } from "../../src/consoleme/client.ts";
import { AuthRejectedError } from "../../src/consoleme/errors.ts";
import type { HttpDeps } from "../../src/consoleme/http.ts";
import { WeepError } from "../../src/errors.ts";
import { USER_AGENT } from "../../src/version.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";
import {
  CLI_ONLY_ROLE_ARN,
  type ConsoleMeServer,
  type ConsoleMeServerOptions,
  PATH_ROLE_ARN,
  SEED_ROLE_ARNS,
  startConsoleMe,
  UNKNOWN_ACCOUNT_ROLE_ARN,
} from "../support/consoleme_server.ts";

const ROLE = "arn:aws:iam::012345678903:role/test_account_user";

/** A fake login: a cookie from the server's own JWTs; `renew` counts calls and can fetch a fresh JWT. */
function fakeAuth(cm: ConsoleMeServer, options: { renews?: boolean; cookieName?: string | undefined } = {}) {
  let cookie: { name: string; value: string } | undefined;
  const calls = { renew: 0 };
  const fresh = async () => {
    const issued = await cm.issueJwt();
    cookie = { name: options.cookieName ?? issued.cookieName, value: issued.jwt };
  };
  const auth: RequestAuth = {
    async cookie() {
      if (!cookie) await fresh();
      return cookie;
    },
    async renew() {
      calls.renew++;
      if (options.renews === false) return false;
      options.cookieName = undefined;
      await fresh();
      return true;
    },
  };
  return { auth, calls };
}

function http(extra: Partial<HttpDeps> = {}): HttpDeps {
  return { fetch, timeoutMs: 5000, userAgent: USER_AGENT, ...extra };
}

async function setup(serverOptions: ConsoleMeServerOptions = {}, clientOptions: Partial<ClientOptions> = {}) {
  const cm = await startConsoleMe(serverOptions);
  const { auth, calls } = fakeAuth(cm);
  const client = createClient({ baseUrl: cm.url, http: http(), auth, ...clientOptions });
  return { cm, client, calls, [Symbol.asyncDispose]: () => cm.close() };
}

Deno.test("getCredentials posts the role and no_ip flag and returns ConsoleMe's credentials", async () => {
  await using t = await setup();
  const result = await t.client.getCredentials({ role: "test_account_user", noIp: false });
  const minted = t.cm.minted[0]!;
  assertEquals(minted.roleArn, ROLE);
  assertEquals(result.credentials.accessKeyId, minted.accessKeyId);
  // The test server always puts a "/" in the secret, which ujson writes as "\/".
  assert(
    result.credentials.secretAccessKey.includes("/") && !result.credentials.secretAccessKey.includes("\\"),
  );
  assertEquals(result.credentials.expiration, new Date(minted.expiration * 1000));
  assertEquals(result.roleArn, undefined);
  const request = t.cm.requests[0]!;
  assertEquals(request.method, "POST");
  assertEquals(request.body, '{"requested_role":"test_account_user","no_ip_restrictions":false}\n');
  assertEquals(request.cookieNames, ["consoleme_auth"]);
  assertEquals(request.userAgent, USER_AGENT);
  assertEquals(t.calls.renew, 0);
});

Deno.test("getCredentials accepts an ISO Expiration and an extended server's RoleArn", async () => {
  await using t = await setup({ expirationFormat: "iso", includeRoleArn: true });
  const result = await t.client.getCredentials({ role: "consoleme_oss_2_test_admin", noIp: false });
  const minted = t.cm.minted[0]!;
  assertEquals(result.credentials.expiration, new Date(minted.expiration * 1000));
  assertEquals(result.roleArn, "arn:aws:iam::012345678902:role/consoleme_oss_2_test_admin");
  assertEquals(result.credentials.roleArn, result.roleArn);
});

Deno.test("getCredentials with noIp sends no_ip_restrictions: true (stock ConsoleMe refuses with MFA 902)", async () => {
  await using t = await setup();
  const error = await assertRejects(() => t.client.getCredentials({ role: ROLE, noIp: true }));
  assertEquals(error.message, `ConsoleMe could not get credentials for "${ROLE}": MFA Not Successful`);
  assertEquals(JSON.parse(t.cm.requests[0]!.body).no_ip_restrictions, true);
  t.cm.settings.mfa = "approve";
  await t.client.getCredentials({ role: ROLE, noIp: true });
  assertEquals(t.cm.minted.length, 1);
});

Deno.test("getCredentials: 903 arrives with HTTP 200 and is still an error", async () => {
  await using t = await setup();
  t.cm.fault("903");
  const error = await assertRejects(() => t.client.getCredentials({ role: ROLE, noIp: false }));
  assertEquals(
    error.message,
    `ConsoleMe returned no credentials for "${ROLE}": Requested role not found in eligible roles`,
  );
  assertStringIncludes((error as WeepError).hints.join("\n"), "ConsoleMe request id: ");
});

Deno.test("metadata is sent with the command name; stock ConsoleMe refuses it with a 904 that says what to do", async () => {
  await using t = await setup({}, { metadata: { hostname: "laptop", weep_version: "0.1.0" } });
  const error = await assertRejects(() =>
    t.client.getCredentials({ role: ROLE, noIp: false, method: "credential_process" })
  ) as WeepError;
  assertStringIncludes(error.message, '"metadata": [\n    "Unknown field."\n  ]');
  assertStringIncludes(error.hints.join("\n"), "set feature_flags.consoleme_metadata to false");
  assertEquals(JSON.parse(t.cm.requests[0]!.body).metadata, {
    hostname: "laptop",
    weep_version: "0.1.0",
    weep_method: "credential_process",
  });
  t.cm.settings.acceptMetadata = true;
  await t.client.getCredentials({ role: ROLE, noIp: false, method: "export" });
  assertEquals(t.cm.minted.length, 1);
});

Deno.test("905 carries mtls_settings.old_cert_message as its hint", async () => {
  await using t = await setup({}, { oldCertMessage: "Run `certtool refresh`" });
  t.cm.fault("905");
  const error = await assertRejects(() => t.client.getCredentials({ role: ROLE, noIp: false })) as WeepError;
  assertEquals(
    error.message,
    `MTLS certificate is too old. Please refresh your certificate. Max cert age for ${ROLE} is 360 days.`,
  );
  assertEquals(error.hints[0], "Run `certtool refresh`");
});

Deno.test("invalid_jwt: the client renews the login once and retries with the new cookie", async () => {
  await using t = await setup();
  await t.client.getRoleArns();
  await t.cm.rotateSecret();
  const result = await t.client.getCredentials({ role: ROLE, noIp: false });
  assertEquals(result.credentials.accessKeyId, t.cm.minted[0]!.accessKeyId);
  assertEquals(t.calls.renew, 1);
  assertEquals(t.cm.count("/api/v1/get_credentials"), 2);
});

Deno.test("invalid_jwt: a renewal that is refused again is not retried a second time", async () => {
  await using t = await setup();
  t.cm.fault("invalid_jwt", { times: 5 });
  const error = await assertRejects(() => t.client.getCredentials({ role: ROLE, noIp: false }));
  assert(error instanceof AuthRejectedError);
  assertEquals(t.calls.renew, 1);
  assertEquals(t.cm.count("/api/v1/get_credentials"), 2);
});

Deno.test("invalid_jwt: when renew says no login is possible, the request is not repeated", async () => {
  await using cm = await startConsoleMe();
  const { auth, calls } = fakeAuth(cm, { renews: false });
  const client = createClient({ baseUrl: cm.url, http: http(), auth });
  cm.fault("invalid_jwt", { endpoint: "*" });
  const error = await assertRejects(() => client.getRoles());
  assert(error instanceof AuthRejectedError);
  assertEquals(error.message, "ConsoleMe rejected the login session");
  assertEquals([calls.renew, cm.requests.length], [1, 1]);
});

Deno.test("a Forbidden problem+json although a cookie was sent (renamed auth cookie) renews the login", async () => {
  await using cm = await startConsoleMe();
  const { auth, calls } = fakeAuth(cm, { cookieName: "old_cookie_name" });
  const client = createClient({ baseUrl: cm.url, http: http(), auth });
  const arns = await client.getRoleArns();
  assertEquals(arns.length, 8);
  assertEquals(calls.renew, 1);
  assertEquals(cm.requests.map((r) => r.cookieNames), [["old_cookie_name"], ["consoleme_auth"]]);
});

Deno.test("without a cookie (mTLS), a Forbidden problem+json is reported, not retried", async () => {
  await using cm = await startConsoleMe();
  let renewed = 0;
  const auth: RequestAuth = {
    cookie: () => Promise.resolve(undefined),
    renew: () => Promise.resolve(++renewed > 0),
  };
  const client = createClient({ baseUrl: cm.url, http: http(), auth });
  const error = await assertRejects(() => client.getCredentials({ role: ROLE, noIp: false })) as WeepError;
  assertEquals(error.message, "ConsoleMe answered HTTP 403: Forbidden");
  assertEquals(error.hints, ["Log in again, or check authentication_method"]);
  assertEquals([renewed, cm.requests.length, cm.requests[0]!.cookieNames], [0, 1, []]);
});

Deno.test("getRoles maps v2 roles: IAM paths, unknown accounts, null apps", async () => {
  await using t = await setup();
  const roles = await t.client.getRoles();
  assertEquals(
    roles.map((r) => r.arn),
    [...SEED_ROLE_ARNS, PATH_ROLE_ARN, CLI_ONLY_ROLE_ARN, UNKNOWN_ACCOUNT_ROLE_ARN].sort(),
  );
  const byArn = new Map(roles.map((r) => [r.arn, r]));
  assertEquals(byArn.get(PATH_ROLE_ARN), {
    arn: PATH_ROLE_ARN,
    accountId: "012345678902",
    accountName: "consoleme_oss_2",
    roleName: "team/deployer",
    apps: [{ name: "consoleme", owner: "owner@example.com", ownerUrl: "", appUrl: "https://example.com" }],
  });
  assertEquals(byArn.get(UNKNOWN_ACCOUNT_ROLE_ARN)?.accountName, "Unknown");
  assertEquals(byArn.get(UNKNOWN_ACCOUNT_ROLE_ARN)?.apps, []);
  assertEquals(byArn.get(CLI_ONLY_ROLE_ARN)?.apps, []);
  assertEquals(t.cm.requests[0]!.query, "all=true");
});

Deno.test("getRoleArns reads v1's ujson array", async () => {
  await using t = await setup();
  const arns = await t.client.getRoleArns();
  assert(arns.includes(PATH_ROLE_ARN));
  assert(arns.every((arn) => !arn.includes("\\")));
});

Deno.test("getResourceUrl returns the UI path; a resource ConsoleMe does not know is its error text", async () => {
  await using t = await setup();
  const arn = "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin";
  t.cm.addResource(arn);
  assertEquals(
    await t.client.getResourceUrl(arn),
    "/policies/edit/012345678901/iamrole/consoleme_oss_1_test_admin",
  );
  assertEquals(t.cm.requests[0]!.query, `arn=${encodeURIComponent(arn)}`);
  const error = await assertRejects(() => t.client.getResourceUrl("arn:aws:s3:::unknown-bucket"));
  assertStringIncludes(error.message, "ConsoleMe answered HTTP 404: ");
});

Deno.test("typeahead sends sorted form-encoded parameters and reads titles", async () => {
  await using t = await setup();
  const accounts = await t.client.typeahead("account", "consoleme oss");
  assertEquals(accounts, []);
  assertEquals(t.cm.requests[0]!.query, "limit=1000&resource=account&search=consoleme+oss");
  const roles = await t.client.typeahead("iam_arn", "oss_2");
  assertEquals(roles.map((r) => r.title), [
    "arn:aws:iam::012345678902:role/consoleme_oss_2_test_admin",
    "arn:aws:iam::012345678902:role/consoleme_oss_2_test_user",
  ]);
  assertEquals(t.cm.requests[1]!.query, "limit=5000&resource=iam_arn&search=oss_2");
});

Deno.test("a base URL with trailing slashes works: the client never requests //api/...", async () => {
  await using cm = await startConsoleMe();
  const client = createClient({ baseUrl: `${cm.url}//`, http: http(), auth: fakeAuth(cm).auth });
  assertEquals(client.baseUrl, cm.url);
  await client.getCredentials({ role: ROLE, noIp: false });
  assertEquals(cm.requests[0]!.path, "/api/v1/get_credentials");
});

Deno.test("a base URL with a path reaches ConsoleMe's SPA catch-all: HTML, not JSON", async () => {
  await using cm = await startConsoleMe();
  const client = createClient({ baseUrl: `${cm.url}/consoleme`, http: http(), auth: fakeAuth(cm).auth });
  const error = await assertRejects(() => client.getCredentials({ role: ROLE, noIp: false })) as WeepError;
  assertEquals(
    error.message,
    `ConsoleMe at "${cm.url}/consoleme" answered with HTML, not JSON: check consoleme_url`,
  );
  assertStringIncludes(error.hints[0]!, "HTTP status 403");
});

Deno.test("transport faults: 500 problem+json, an HTML page and garbage JSON", async () => {
  await using t = await setup();
  t.cm.fault("500");
  assertEquals(
    (await assertRejects(() => t.client.getCredentials({ role: ROLE, noIp: false }))).message,
    "ConsoleMe answered HTTP 500: Internal Server Error",
  );
  t.cm.fault("html");
  assertStringIncludes(
    (await assertRejects(() => t.client.getCredentials({ role: ROLE, noIp: false }))).message,
    "answered with HTML, not JSON: check consoleme_url",
  );
  t.cm.fault("garbage");
  assertStringIncludes(
    (await assertRejects(() => t.client.getCredentials({ role: ROLE, noIp: false }))).message,
    "sent a response that is not valid JSON (HTTP 200)",
  );
  assertEquals(t.cm.minted.length, 0);
});

Deno.test("a 200 answer of the wrong shape names the field weep did not understand", async () => {
  const answer = (body: unknown) =>
    createClient({
      baseUrl: "https://cm.example.com",
      http: http({ fetch: () => Promise.resolve(Response.json(body)) }),
      auth: { cookie: () => Promise.resolve(undefined), renew: () => Promise.resolve(false) },
    });
  const noToken = { Credentials: { AccessKeyId: "ASIA1", SecretAccessKey: "s", Expiration: 1 } };
  const error = await assertRejects(() =>
    answer(noToken).getCredentials({ role: "r", noIp: false })
  ) as WeepError;
  assertEquals(
    error.message,
    'ConsoleMe at "https://cm.example.com" sent credentials weep does not understand',
  );
  assertStringIncludes(error.hints[0]!, '"Credentials.SessionToken"');
  const badDate = { Credentials: { ...noToken.Credentials, SessionToken: "t", Expiration: "tomorrow" } };
  await assertRejects(
    () => answer(badDate).getCredentials({ role: "r", noIp: false }),
    "sent credentials weep does not understand",
  );
  const nullCreds = { Credentials: null };
  await assertRejects(
    () => answer(nullCreds).getCredentials({ role: "r", noIp: false }),
    "ConsoleMe answered with an unexpected response (HTTP 200)",
  );
  await assertRejects(() => answer({ data: {} }).getRoles(), "sent a role list weep does not understand");
  await assertRejects(
    () => answer({ data: { url: 5 } }).getResourceUrl("arn:aws:s3:::b"),
    "sent a resource URL",
  );
  await assertRejects(() => answer({}).typeahead("account", "x"), "sent search results");
  const hint = async (call: () => Promise<unknown>) => ((await assertRejects(call)) as WeepError).hints[0];
  assertEquals(
    await hint(() => answer({ data: { url: 5 } }).getResourceUrl("arn:aws:s3:::b")),
    'Unexpected value at "data.url": Expected a string, got a number',
  );
  assertEquals(
    await hint(() => answer([{ title: "a" }, { title: "b", account_id: 7 }]).typeahead("account", "x")),
    'Unexpected value at "1.account_id": Expected a string, got a number',
  );
  assertEquals(
    await answer([{ title: "a" }, { title: "b", account_id: "1" }]).typeahead("account", "x"),
    [{ title: "a" }, { title: "b", accountId: "1" }],
  );
  assertEquals(
    await hint(() => answer(["x", 3]).getRoleArns()),
    'Unexpected value at "1": Expected a string, got a number',
  );
});
