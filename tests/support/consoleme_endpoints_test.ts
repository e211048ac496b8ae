import { assert, assertEquals, assertRejects, assertStringIncludes } from "./assert.ts";
import { type ConsoleMeServer, startConsoleMe } from "./consoleme_server.ts";

async function cookieFor(cm: ConsoleMeServer): Promise<string> {
  const { cookieName, jwt } = await cm.issueJwt();
  return `${cookieName}=${jwt}`;
}

async function call(
  cm: ConsoleMeServer,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${cm.url}${path}`, init);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    text: await response.text(),
  };
}

function getCredentials(
  cm: ConsoleMeServer,
  cookie: string,
  role = "test_account_user",
  signal?: AbortSignal,
) {
  return fetch(`${cm.url}/api/v1/get_credentials`, {
    method: "POST",
    headers: { cookie },
    body: JSON.stringify({ requested_role: role, no_ip_restrictions: false }),
    ...(signal ? { signal } : {}),
  });
}

Deno.test("code faults: 903 comes with HTTP 200, 902 and 905 carry their messages, invalid_jwt on demand", async () => {
  await using cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  cm.fault("903");
  const r903 = await getCredentials(cm, cookie);
  const b903 = await r903.json();
  assertEquals([r903.status, b903.code, "Credentials" in b903], [200, "903", false]);
  assert(Array.isArray(b903["eligible roles"]));

  cm.fault("902", { message: "Unable to get credentials.", exception: "trust policy says no" });
  const b902 = await (await getCredentials(cm, cookie)).json();
  assertEquals([b902.code, b902.exception, b902.matching_role], [
    "902",
    "trust policy says no",
    "arn:aws:iam::012345678903:role/test_account_user",
  ]);
  cm.fault("905", { message: "Run `refresh-cert`." });
  const b905 = await (await getCredentials(cm, cookie)).json();
  assertStringIncludes(b905.message, "MTLS certificate is too old. Run `refresh-cert`. Max cert age for");

  cm.fault("invalid_jwt", { endpoint: "/api/v2/get_roles" });
  assertEquals(
    JSON.parse((await call(cm, "/api/v2/get_roles?all=true", { headers: { cookie } })).text).code,
    "invalid_jwt",
  );
  assertEquals(
    (await call(cm, "/api/v2/get_roles?all=true", { headers: { cookie } })).status,
    200,
    "used up",
  );
  const ok = await getCredentials(cm, cookie);
  assertEquals(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("transport faults: 500 problem+json, HTML with 200, truncated JSON, repeated times", async () => {
  await using cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  cm.fault("500", { times: 2 });
  for (let i = 0; i < 2; i++) {
    const r = await getCredentials(cm, cookie);
    assertEquals([r.status, r.headers.get("content-type")], [500, "application/problem+json"]);
    await r.body?.cancel();
  }
  cm.fault("html", { endpoint: "*" });
  const html = await call(cm, "/api/v2/get_roles?all=true");
  assertEquals([html.status, html.type.startsWith("text/html")], [200, true]);
  cm.fault("garbage");
  const garbage = await getCredentials(cm, cookie);
  assertEquals([garbage.status, garbage.headers.get("content-type")], [200, "application/json"]);
  await assertRejects(() => garbage.json());
  assertEquals(cm.count("/api/v1/get_credentials"), 3);
});

Deno.test("the drop fault closes the connection without a response", async () => {
  await using cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  cm.fault("drop");
  await assertRejects(() => getCredentials(cm, cookie));
  const after = await getCredentials(cm, cookie);
  assertEquals(after.status, 200);
  await after.body?.cancel();
});

Deno.test("the slow fault never answers until the client gives up, or answers after ms", async () => {
  await using cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  cm.fault("slow");
  const controller = new AbortController();
  const pending = getCredentials(cm, cookie, "test_account_user", controller.signal);
  // Abort once the server has the request: the client-side timeout a real client must enforce.
  while (cm.count("/api/v1/get_credentials") === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort();
  await assertRejects(() => pending);
  cm.fault("slow", { ms: 20 });
  const late = await getCredentials(cm, cookie);
  assertEquals(late.status, 200);
  await late.body?.cancel();
});

Deno.test("closing the server ends a request the slow fault holds", async () => {
  const cm = await startConsoleMe();
  const cookie = await cookieFor(cm);
  cm.fault("slow");
  const pending = getCredentials(cm, cookie).then(() => "answered", () => "failed");
  while (cm.count("/api/v1/get_credentials") === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await cm.close();
  assertEquals(await pending, "failed");
});

Deno.test("catch-alls: /api/v2 404 problem+json, SPA index for GET, HTML 403 for POST and //", async () => {
  await using cm = await startConsoleMe();
  const v2 = await call(cm, "/api/v2/nope");
  assertEquals([v2.status, v2.type, v2.text], [
    404,
    "application/problem+json",
    '{"status": 404, "title": "Not Found", "message": "Not Found"}',
  ]);
  const spa = await call(cm, "/role/anything");
  assertEquals([spa.status, spa.type], [200, "text/html"]);
  assertStringIncludes(spa.text, '<div id="root">');
  const post = await call(cm, "/api/v1/nope", { method: "POST", body: "{}" });
  assertEquals([post.status, post.text], [
    403,
    "<html><title>403: Forbidden</title><body>403: Forbidden</body></html>",
  ]);
  const slash = await call(cm, "//api/v1/get_roles?all=true");
  assertEquals([slash.status, cm.requests.at(-1)?.path], [403, "//api/v1/get_roles"]);
  assertEquals((await call(cm, "/healthcheck")).text, "OK");
  const cookie = await cookieFor(cm);
  const wrongMethod = await call(cm, "/api/v1/get_credentials", { headers: { cookie } });
  assertEquals([wrongMethod.status, wrongMethod.type], [405, "application/problem+json"]);
});

Deno.test("get_resource_url: a UI path for known ARNs, 404 WebResponse errors otherwise", async () => {
  await using cm = await startConsoleMe();
  const headers = { cookie: await cookieFor(cm) };
  const arn = encodeURIComponent("arn:aws:iam::012345678902:role/team/deployer");
  const ok = JSON.parse((await call(cm, `/api/v2/get_resource_url?arn=${arn}`, { headers })).text);
  assertEquals([ok.status, ok.data.url, ok.errors, ok.message], [
    "success",
    "/policies/edit/012345678902/iamrole/deployer",
    null,
    "Successfully generated URL for ARN",
  ]);
  const missing = await call(cm, "/api/v2/get_resource_url", { headers });
  assertEquals([missing.status, JSON.parse(missing.text)], [404, {
    status: "error",
    reason: "missing_data",
    status_code: 404,
    errors: ["arn is a required parameter"],
  }]);
  const unknown = JSON.parse(
    (await call(cm, `/api/v2/get_resource_url?arn=arn:aws:s3:::bucket`, { headers })).text,
  );
  assertEquals([unknown.reason, unknown.errors], ["invalid_data", [
    "Resource not found in organization cache",
  ]]);
  cm.addResource("arn:aws:s3:::bucket", "012345678901");
  const s3 = JSON.parse(
    (await call(cm, `/api/v2/get_resource_url?arn=arn:aws:s3:::bucket`, { headers })).text,
  );
  assertEquals(s3.data.url, "/policies/edit/012345678901/s3/bucket");
});

Deno.test("typeahead: bare ujson arrays for account, iam_arn and iam_role; problem+json errors", async () => {
  await using cm = await startConsoleMe();
  const headers = { cookie: await cookieFor(cm) };
  const accounts = await call(cm, "/api/v1/policies/typeahead?resource=account&search=oss&limit=1000", {
    headers,
  });
  assertEquals(JSON.parse(accounts.text), [
    { title: "consoleme_oss_1 (012345678901)" },
    { title: "consoleme_oss_2 (012345678902)" },
  ]);
  const arns = await call(cm, "/api/v1/policies/typeahead?resource=iam_arn&search=team&limit=5000", {
    headers,
  });
  assertEquals(arns.text, '[{"title":"arn:aws:iam::012345678902:role\\/team\\/deployer"}]');
  const capped = await call(cm, "/api/v1/policies/typeahead?resource=iam_arn&search=arn&limit=2", {
    headers,
  });
  assertEquals(JSON.parse(capped.text).length, 3, "the limit is checked after appending");
  const names = await call(cm, "/api/v1/policies/typeahead?resource=iam_role&search=DEPLOYER", { headers });
  assertEquals(JSON.parse(names.text), [{ title: "team/deployer" }, { title: "cli_only_deployer" }]);
  const noSearch = await call(cm, "/api/v1/policies/typeahead?resource=account", { headers });
  assertEquals([noSearch.status, noSearch.type, JSON.parse(noSearch.text).message], [
    400,
    "application/problem+json",
    "`search` parameter must be defined",
  ]);
  const bad = await call(cm, "/api/v1/policies/typeahead?resource=ec2&search=x", { headers });
  assertEquals([bad.status, JSON.parse(bad.text).message], [404, "Invalid resource_type: ec2"]);
});

Deno.test("role_login (browser) lowercases the role and answers 404, multiple_roles or a sign-in URL", async () => {
  await using cm = await startConsoleMe();
  const headers = { "X-ConsoleMe-User": "alice@example.com" };
  const one = JSON.parse((await call(cm, "/api/v2/role_login/TEAM/Deployer?r=eu-west-1", { headers })).text);
  assertEquals([one.type, one.reason, one.role], [
    "redirect",
    "console_login",
    "arn:aws:iam::012345678902:role/team/deployer",
  ]);
  assert(one.redirect_url.startsWith("https://signin.aws.amazon.com/federation?Action=login&"));
  const many = JSON.parse((await call(cm, "/api/v2/role_login/consoleme_oss_1", { headers })).text);
  assertEquals([many.type, many.reason], ["redirect", "multiple_roles"]);
  const none = await call(cm, "/api/v2/role_login/cli_only_deployer", { headers });
  assertEquals(none.status, 404, "console logins only see console roles");
  assertEquals((await call(cm, "/api/v2/role_login/x")).status, 403, "the browser must be logged in");
});
