import { assert, assertEquals, assertMatch, assertStringIncludes } from "./assert.ts";
import { TEST_SECRETS } from "./cli.ts";
import { type ConsoleMeServer, startConsoleMe, syntheticRoles } from "./consoleme_server.ts";
import { getJson } from "./fetch_json.ts";

const USER = "alice@example.com";

async function cookieFor(cm: ConsoleMeServer, user = USER): Promise<string> {
  const { cookieName, jwt } = await cm.issueJwt(user);
  return `${cookieName}=${jwt}`;
}

function credentials(cm: ConsoleMeServer, cookie: string, body: unknown): Promise<Response> {
  return fetch(`${cm.url}/api/v1/get_credentials`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body) + "\n",
  });
}

Deno.test("a missing cookie is problem+json 403; a bad, expired or rotated JWT is invalid_jwt", async () => {
  let now = Date.now();
  await using cm = await startConsoleMe({ clock: () => now });
  const bare = await getJson(`${cm.url}/api/v2/get_roles?all=true`);
  assertEquals([bare.status, bare.type], [403, "application/problem+json"]);
  assertEquals(bare.body, { status: 403, title: "Forbidden", message: "Forbidden" });

  const cookie = await cookieFor(cm);
  const other = await getJson(`${cm.url}/api/v2/get_roles?all=true`, { headers: { cookie: cookie + "x" } });
  assertEquals([other.status, other.body.code, other.body.message], [
    403,
    "invalid_jwt",
    "JWT is invalid or has expired.",
  ]);
  assertMatch(other.body.request_id, /^[0-9a-f-]{36}$/);

  now += 3601_000;
  assertEquals(
    (await getJson(`${cm.url}/api/v1/get_roles?all=true`, { headers: { cookie } })).body.code,
    "invalid_jwt",
  );
  now -= 3601_000;
  assertEquals((await fetch(`${cm.url}/api/v1/get_roles?all=true`, { headers: { cookie } })).status, 200);
  await cm.rotateSecret();
  assertEquals(
    (await getJson(`${cm.url}/api/v1/get_roles?all=true`, { headers: { cookie } })).body.code,
    "invalid_jwt",
  );
});

Deno.test("get_credentials answers 901 with the matching roles, 900, and an exact ARN over a substring", async () => {
  await using cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  const many = await credentials(cm, cookie, {
    requested_role: "consoleme_oss_1",
    no_ip_restrictions: false,
  });
  assertEquals(many.status, 403);
  const body = await many.json();
  assertEquals([body.code, body.message, body.requested_role], [
    "901",
    "More than one matching role",
    "consoleme_oss_1",
  ]);
  assertEquals(body["matching roles"], [
    "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin",
    "arn:aws:iam::012345678901:role/consoleme_oss_1_test_user",
  ]);
  const none = await (await credentials(cm, cookie, { requested_role: "nothing_like_it" })).json();
  assertEquals([none.code, none.message], ["900", "No matching roles"]);

  cm.setRoles(["arn:aws:iam::1:role/app", "arn:aws:iam::1:role/app_admin"]);
  const exact = await credentials(cm, cookie, { requested_role: "ARN:AWS:IAM::1:ROLE/APP" });
  assertEquals(exact.status, 200);
  assertEquals(cm.minted.map((m) => [m.roleArn, m.sessionName]), [["arn:aws:iam::1:role/app", USER]]);
  await exact.body?.cancel();
});

Deno.test("get_credentials writes ujson: \\/ escapes and an integer Expiration, no RoleArn", async () => {
  await using cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  const response = await credentials(cm, cookie, {
    requested_role: "test_account_user",
    no_ip_restrictions: false,
  });
  const text = await response.text();
  assertEquals([response.status, response.headers.get("content-type")], [200, "application/json"]);
  assertMatch(
    text,
    /^\{"Credentials":\{"AccessKeyId":"ASIA[A-Z2-7]{16}","SecretAccessKey":"[^"]*\\\/[^"]*",/,
  );
  assertMatch(text, /"Expiration":\d{10}\}\}$/);
  const creds = JSON.parse(text).Credentials;
  assert(creds.SecretAccessKey.includes("/") && !("RoleArn" in creds));
  for (const key of ["AccessKeyId", "SecretAccessKey", "SessionToken"]) assert(TEST_SECRETS.has(creds[key]));
  assert(Math.abs(creds.Expiration - (Date.now() / 1000 + 3600)) < 60);

  Object.assign(cm.settings, { expireIn: 60, expirationFormat: "iso", includeRoleArn: true });
  const iso =
    (await (await credentials(cm, cookie, { requested_role: "test_account_user" })).json()).Credentials;
  assertMatch(iso.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  assert(Math.abs(Date.parse(iso.Expiration) / 1000 - (Date.now() / 1000 + 60)) < 60);
  assertEquals(iso.RoleArn, "arn:aws:iam::012345678903:role/test_account_user");
});

Deno.test("get_credentials rejects metadata and other schema errors with 904", async () => {
  await using cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  const request = {
    requested_role: "test_account_user",
    no_ip_restrictions: false,
    metadata: { hostname: "h" },
  };
  const response = await credentials(cm, cookie, request);
  const body = await response.json();
  assertEquals([response.status, body.code], [400, "904"]);
  assertEquals(
    body.message,
    'Invalid JSON sent to the server:\n{\n  "metadata": [\n    "Unknown field."\n  ]\n}',
  );
  assertEquals((await (await credentials(cm, cookie, { requested_role: "" })).json()).code, "904");
  assertEquals((await (await credentials(cm, cookie, [1])).json()).code, "904");
  const notJson = await credentials(cm, cookie, "{nope");
  assertEquals([notJson.status, (await notJson.json()).title], [500, "Internal Server Error"]);
  cm.settings.acceptMetadata = true;
  assertEquals((await credentials(cm, cookie, request)).status, 200);
  const noIp =
    await (await credentials(cm, cookie, { requested_role: "test_account_user", no_ip_restrictions: true }))
      .json();
  assertEquals([noIp.code, noIp.message], ["902", "MFA Not Successful"]);
});

Deno.test("the role lists escape slashes (v1) and keep paths, Unknown accounts and null apps (v2)", async () => {
  await using cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  const v1 = await (await fetch(`${cm.url}/api/v1/get_roles?all=true`, { headers: { cookie } })).text();
  assertStringIncludes(v1, '"arn:aws:iam::012345678902:role\\/team\\/deployer"');
  const arns: string[] = JSON.parse(v1);
  assertEquals(arns, [...arns].sort());
  assert(arns.includes("arn:aws:iam::012345678903:role/cli_only_deployer"), "all=true lists CLI-only roles");
  const consoleOnly = await getJson(`${cm.url}/api/v1/get_roles`, { headers: { cookie } });
  assert(!consoleOnly.body.includes("arn:aws:iam::012345678903:role/cli_only_deployer"));

  const v2 = await getJson(`${cm.url}/api/v2/get_roles?all=true`, { headers: { cookie } });
  assertEquals([v2.body.status, v2.body.status_code], ["success", 200]);
  const byArn = new Map(v2.body.data.roles.map((r: { arn: string }) => [r.arn, r]));
  assertEquals(byArn.get("arn:aws:iam::012345678902:role/team/deployer"), {
    arn: "arn:aws:iam::012345678902:role/team/deployer",
    account_id: "012345678902",
    account_friendly_name: "consoleme_oss_2",
    role_name: "team/deployer",
    apps: {
      app_details: [{
        name: "consoleme",
        owner: "owner@example.com",
        owner_url: null,
        app_url: "https://example.com",
      }],
    },
  });
  const orphan = byArn.get("arn:aws:iam::111122223333:role/orphan_reader") as Record<string, unknown>;
  assertEquals([orphan.account_friendly_name, orphan.apps], ["Unknown", null]);

  cm.setRoles(syntheticRoles(1000));
  const big = await getJson(`${cm.url}/api/v2/get_roles?all=true`, { headers: { cookie } });
  assertEquals(big.body.data.roles.length, 1000);
});

Deno.test("the request log keeps method, path, user agent, cookie names and body, never the cookie", async () => {
  await using cm = await startConsoleMe({ auth: "none", user: "robot@example.com" });
  const response = await credentials(cm, "consoleme_auth=secret-value", {
    requested_role: "test_account_user",
  });
  assertEquals(response.status, 200);
  await response.body?.cancel();
  const [entry] = cm.requests;
  assertEquals(entry?.method, "POST");
  assertEquals(entry?.path, "/api/v1/get_credentials");
  assertEquals([entry?.cookie, entry?.cookieNames], [true, ["consoleme_auth"]]);
  assertMatch(entry?.userAgent ?? "", /Deno/);
  assert(!JSON.stringify(cm.requests).includes("secret-value"));
  assertEquals(cm.count("/api/v1/get_credentials"), 1);
  assertEquals(cm.minted[0]?.sessionName, "robot@example.com");
});
