import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import type { ImdsServeOptions } from "../../src/server/handler.ts";
import { brokerFailure, FakeClock, FakeSource, MINUTES, sdkRequest, testHandler } from "./fakes.ts";

const ROLE = "arn:aws:iam::123456789012:role/team/app_role";
const TTL = "x-aws-ec2-metadata-token-ttl-seconds";

function setup(imds: Partial<ImdsServeOptions> = {}, assumeRoles: string[] = []) {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  const options = {
    role: ROLE,
    enforceImdsv2: false,
    routes: [],
    region: "eu-west-1",
    arch: "x86_64",
    ...imds,
  };
  const { handler } = testHandler(clock, fake, { imds: options, assumeRoles });
  const get = (path: string, headers: Record<string, string> = {}) => handler(sdkRequest(path, headers));
  const text = async (path: string, headers: Record<string, string> = {}) => {
    const response = await get(path, headers);
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      body: await response.text(),
    };
  };
  const token = async (ttl = "21600") => {
    const response = await handler(sdkRequest("/latest/api/token", { [TTL]: ttl }, "PUT"));
    return { status: response.status, ttl: response.headers.get(TTL), body: await response.text() };
  };
  return { clock, fake, handler, get, text, token };
}

Deno.test("imds token: PUT with a TTL gives a token and echoes the TTL header", async () => {
  const { token, text } = setup();
  const issued = await token("300");
  assertEquals(issued.status, 200);
  assertEquals(issued.ttl, "300");
  assertEquals(issued.body.length >= 40, true);
  const listed = await text("/latest/meta-data/iam/security-credentials/", {
    "x-aws-ec2-metadata-token": issued.body,
  });
  assertEquals(listed.status, 200);
  assertEquals(listed.body, "app_role");
});

Deno.test("imds token TTL must be an integer from 1 to 21600", async () => {
  const { token, handler } = setup();
  for (const ttl of ["0", "21601", "-5", "abc", "1.5", ""]) {
    const answer = await token(ttl);
    assertEquals(answer.status, 400, ttl);
    assertStringIncludes(answer.body, "from 1 to 21600");
  }
  assertEquals((await token("1")).status, 200);
  assertEquals((await token("21600")).status, 200);
  const missing = await handler(sdkRequest("/latest/api/token", {}, "PUT"));
  assertEquals(missing.status, 400);
  await missing.body?.cancel();
  const got = await handler(sdkRequest("/latest/api/token"));
  assertEquals(got.status, 405);
  assertEquals(got.headers.get("allow"), "PUT");
  await got.body?.cancel();
});

Deno.test("imds token lifecycle: live tokens work and report their TTL, expired and unknown ones are 401", async () => {
  const { token, get, clock } = setup();
  const issued = await token("120");
  const live = await get("/latest/meta-data/iam/security-credentials/", {
    "x-aws-ec2-metadata-token": issued.body,
  });
  assertEquals(live.status, 200);
  assertEquals(live.headers.get(TTL), "120");
  await live.body?.cancel();
  clock.advance(119_000);
  const later = await get("/latest/meta-data/", { "x-aws-ec2-metadata-token": issued.body });
  assertEquals(later.headers.get(TTL), "1");
  await later.body?.cancel();
  clock.advance(1000);
  const expired = await get("/latest/meta-data/", { "x-aws-ec2-metadata-token": issued.body });
  assertEquals(expired.status, 401);
  assertStringIncludes(await expired.text(), "unknown or expired");
  const unknown = await get("/latest/meta-data/", { "x-aws-ec2-metadata-token": "made-up" });
  assertEquals(unknown.status, 401);
  await unknown.body?.cancel();
});

Deno.test("imds without a token works (IMDSv1) unless server.enforce_imdsv2 is set", async () => {
  assertEquals((await setup().text("/latest/meta-data/iam/security-credentials/")).status, 200);
  const strict = setup({ enforceImdsv2: true });
  const refused = await strict.text("/latest/meta-data/iam/security-credentials/");
  assertEquals(refused.status, 401);
  assertStringIncludes(refused.body, "IMDSv2 is required");
  const issued = await strict.token();
  const allowed = await strict.text("/latest/meta-data/iam/security-credentials/app_role", {
    "x-aws-ec2-metadata-token": issued.body,
  });
  assertEquals(allowed.status, 200);
});

Deno.test("imds credentials: the JSON EC2 SDKs read, for the listed name only", async () => {
  const { text, fake } = setup();
  const creds = await text("/latest/meta-data/iam/security-credentials/app_role");
  assertEquals(creds.status, 200);
  assertEquals(creds.type, "application/json");
  assertEquals(
    creds.body,
    '{"Code":"Success","LastUpdated":"2026-03-01T12:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAFAKE1",' +
      '"SecretAccessKey":"secret-1","Token":"token-1","Expiration":"2026-03-01T13:00:00Z"}\n',
  );
  const wrong = await text("/latest/meta-data/iam/security-credentials/other_role");
  assertEquals(wrong.status, 404);
  assertStringIncludes(wrong.body, 'serves the role "app_role" only');
  assertEquals(fake.queries, [{ role: ROLE, assumeRoles: [], noIp: false }]);
});

Deno.test("imds names the role from the resolved ARN: the end of the --assume-role chain", async () => {
  const last = "arn:aws:iam::210987654321:role/deploy/target";
  const { text, fake } = setup({ role: "app" }, [last]);
  assertEquals((await text("/latest/meta-data/iam/security-credentials/")).body, "target");
  assertEquals((await text("/latest/meta-data/iam/security-credentials/target")).status, 200);
  const info = JSON.parse((await text("/latest/meta-data/iam/info")).body);
  assertEquals(info.InstanceProfileArn, "arn:aws:iam::210987654321:instance-profile/deploy/target");
  const doc = JSON.parse((await text("/latest/dynamic/instance-identity/document")).body);
  assertEquals(doc.accountId, "210987654321");
  assertEquals(fake.calls, 1);
});

Deno.test("imds iam/info keeps the IAM path; a search-string role gets 404, not a crash", async () => {
  const info = await setup().text("/latest/meta-data/iam/info");
  assertEquals(info.status, 200);
  assertEquals(info.type, "application/json");
  const body = JSON.parse(info.body);
  assertEquals(body.Code, "Success");
  assertEquals(body.InstanceProfileArn, "arn:aws:iam::123456789012:instance-profile/team/app_role");
  const search = setup({ role: "team/app role" });
  const missing = await search.text("/latest/meta-data/iam/info");
  assertEquals(missing.status, 404);
  assertStringIncludes(missing.body, "is not an ARN");
  assertEquals((await search.text("/latest/meta-data/iam/security-credentials/")).body, "app-role");
});

Deno.test("imds identity document: account from the ARN, region from aws.region, EC2 architecture", async () => {
  const { text } = setup({ arch: "aarch64" });
  const doc = await text("/latest/dynamic/instance-identity/document");
  assertEquals(doc.type, "application/json");
  const body = JSON.parse(doc.body);
  assertEquals([body.accountId, body.region, body.availabilityZone, body.architecture], [
    "123456789012",
    "eu-west-1",
    "eu-west-1a",
    "arm64",
  ]);
  assertEquals(body.pendingTime, "2026-03-01T12:00:00Z");
  assertEquals(
    JSON.parse((await setup({ role: "search" }).text("/latest/dynamic/instance-identity/document")).body)
      .accountId,
    "123456789012",
  );
});

Deno.test("imds listings, placement and any version segment", async () => {
  const { text } = setup();
  assertEquals((await text("/latest/")).body, "dynamic\nmeta-data");
  assertEquals((await text("/latest/meta-data/")).body, "iam/\nplacement/");
  assertEquals((await text("/2009-04-04/meta-data/iam/")).body, "info\nsecurity-credentials/");
  assertEquals((await text("/latest/meta-data/placement/region")).body, "eu-west-1");
  assertEquals((await text("/latest/meta-data/placement/availability-zone")).body, "eu-west-1a");
  assertEquals((await text("/latest/dynamic/instance-identity/")).body, "document");
  assertEquals((await text("/latest/meta-data/")).type, "text/plain; charset=utf-8");
});

Deno.test("imds serves metadata.routes under every version and lists them", async () => {
  const routes = [
    { path: "latest/user-data", data: "" },
    { path: "latest/meta-data/local-ipv4", data: "127.0.0.1" },
    { path: "/meta-data/network/interfaces/macs/", data: "0e:00:00:00:00:01/" },
  ];
  const { text } = setup({ routes });
  assertEquals(await text("/latest/meta-data/local-ipv4"), {
    status: 200,
    type: "text/plain; charset=utf-8",
    body: "127.0.0.1",
  });
  assertEquals((await text("/2021-01-03/meta-data/local-ipv4")).body, "127.0.0.1");
  assertEquals((await text("/latest/user-data")).status, 200);
  assertEquals((await text("/latest/")).body, "dynamic\nmeta-data\nuser-data");
  assertEquals((await text("/latest/meta-data/")).body, "iam/\nlocal-ipv4\nnetwork/\nplacement/");
  assertEquals((await text("/latest/meta-data/network/interfaces/macs")).body, "0e:00:00:00:00:01/");
});

Deno.test("imds unknown paths are 404 plain text; data routes only read", async () => {
  const { text, handler } = setup();
  for (const path of ["/latest", "/latest/meta-data/ami-id", "/nothing/here/at/all", "/"]) {
    const answer = await text(path);
    assertEquals(answer.status, 404, path);
    assertEquals(answer.type, "text/plain; charset=utf-8");
  }
  const post = await handler(sdkRequest("/latest/meta-data/", {}, "POST"));
  assertEquals(post.status, 405);
  await post.body?.cancel();
});

Deno.test("without a role every IMDS path is 404, the token path included", async () => {
  const clock = new FakeClock();
  const { handler } = testHandler(clock, new FakeSource(clock));
  for (
    const [path, method] of [["/latest/api/token", "PUT"], [
      "/latest/meta-data/iam/security-credentials/",
      "GET",
    ]]
  ) {
    const response = await handler(sdkRequest(path!, { [TTL]: "60" }, method));
    assertEquals(response.status, 404, path);
    await response.body?.cancel();
  }
});

Deno.test("imds credentials are refreshed ahead of expiry and a failure near expiry is 502", async () => {
  const { text, clock, fake } = setup();
  const first = JSON.parse((await text("/latest/meta-data/iam/security-credentials/app_role")).body);
  clock.advance(46 * MINUTES);
  const second = JSON.parse((await text("/latest/meta-data/iam/security-credentials/app_role")).body);
  assertEquals([first.AccessKeyId, second.AccessKeyId], ["ASIAFAKE1", "ASIAFAKE2"]);
  assertEquals(second.LastUpdated, "2026-03-01T12:46:00Z");
  clock.advance(59 * MINUTES + 30_000);
  fake.failure = brokerFailure();
  const failed = await text("/latest/meta-data/iam/security-credentials/app_role");
  assertEquals(failed.status, 502);
  assertStringIncludes(failed.body, "ConsoleMe has no role");
});
