import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { allowedHostsFor, hostWithoutPort } from "../../src/server/filter.ts";
import { ecsRequest, FakeClock, FakeSource, sdkRequest, testHandler } from "./fakes.ts";

const ROLE = "arn:aws:iam::123456789012:role/app_role";

function setup() {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  return { fake, ...testHandler(clock, fake, { imds: imdsOptions() }) };
}

function imdsOptions() {
  return { role: ROLE, enforceImdsv2: false, routes: [], region: "us-west-2", arch: "x86_64" };
}

Deno.test("browser headers are refused with 403 plain text, even when empty, on ECS and IMDS", async () => {
  const { handler, fake } = setup();
  const headers = [
    "Origin",
    "Referer",
    "Referrer",
    "Sec-Fetch-Site",
    "Sec-Fetch-Dest",
    "Sec-Fetch-User",
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Real-IP",
    "Via",
  ];
  for (const header of headers) {
    for (const path of [`/ecs/${ROLE}`, "/latest/meta-data/iam/security-credentials/app_role"]) {
      const response = await handler(
        ecsRequest(path, { [header]: header === "Origin" ? "" : "http://evil.example" }),
      );
      assertEquals(response.status, 403, `${header} ${path}`);
      assertEquals(response.headers.get("content-type"), "text/plain; charset=utf-8");
      assertStringIncludes(await response.text(), "Forbidden");
    }
  }
  assertEquals(fake.calls, 0);
});

Deno.test("user agents containing mozilla, in any case, are refused", async () => {
  const { handler } = setup();
  for (const agent of ["Mozilla/5.0 (X11; Linux x86_64)", "something MOZILLA-like"]) {
    const response = await handler(ecsRequest(`/ecs/${ROLE}`, { "user-agent": agent }));
    assertEquals(response.status, 403, agent);
    assertStringIncludes(await response.text(), "web browsers");
  }
});

Deno.test("the IMDSv2 token request is filtered too", async () => {
  const { handler } = setup();
  const response = await handler(
    sdkRequest("/latest/api/token", {
      "x-aws-ec2-metadata-token-ttl-seconds": "60",
      "x-forwarded-for": "1.2.3.4",
    }, "PUT"),
  );
  assertEquals(response.status, 403);
  await response.body?.cancel();
});

Deno.test("the Host check refuses DNS-rebinding names and allows loopback and metadata addresses", async () => {
  const { handler } = setup();
  for (const host of ["evil.example", "evil.example:9091", "127.0.0.1.nip.io:9091", "10.0.0.5:9091"]) {
    const response = await handler(ecsRequest(`/ecs/${ROLE}`, { host }));
    assertEquals(response.status, 403, host);
    assertStringIncludes(await response.text(), "is not allowed");
  }
  const allowed = ["localhost", "localhost:9091", "127.0.0.1", "127.0.0.1:9091", "[::1]", "[::1]:9091"];
  for (const host of [...allowed, "169.254.169.254", "169.254.169.254:80", "LOCALHOST:9091"]) {
    const response = await handler(ecsRequest(`/ecs/${ROLE}`, { host }));
    assertEquals(response.status, 200, host);
    await response.body?.cancel();
  }
});

Deno.test("healthcheck answers without any filter", async () => {
  const { handler } = setup();
  const response = await handler(
    sdkRequest("/healthcheck", { origin: "http://evil.example", host: "evil.example" }),
  );
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), "application/json");
  assertEquals(await response.text(), '{"status":200,"message":"healthy"}\n');
});

Deno.test("hostWithoutPort strips the port of names, IPv4 and bracketed IPv6", () => {
  assertEquals(hostWithoutPort("127.0.0.1:9091"), "127.0.0.1");
  assertEquals(hostWithoutPort("[::1]:9091"), "[::1]");
  assertEquals(hostWithoutPort("[::1]"), "[::1]");
  assertEquals(hostWithoutPort("LocalHost"), "localhost");
});

Deno.test("allowedHostsFor adds a specific listen address but not a wildcard", () => {
  assertEquals(allowedHostsFor("127.0.0.1"), ["localhost", "127.0.0.1", "[::1]", "169.254.169.254"]);
  assertEquals(allowedHostsFor("0.0.0.0"), ["localhost", "127.0.0.1", "[::1]", "169.254.169.254"]);
  assertEquals(allowedHostsFor("::"), ["localhost", "127.0.0.1", "[::1]", "169.254.169.254"]);
  assertEquals(allowedHostsFor("192.168.1.5").at(-1), "192.168.1.5");
  assertEquals(allowedHostsFor("fd00::1").at(-1), "[fd00::1]");
});
