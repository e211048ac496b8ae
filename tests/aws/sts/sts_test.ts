import type { AwsCredentials } from "../../../src/aws/credentials.ts";
import {
  assumeRole,
  assumeRoleChain,
  defaultStsEndpoint,
  getCallerIdentity,
  resolveStsEndpoint,
  sessionNameFromUserId,
  type StsDeps,
  validateRoleArn,
} from "../../../src/aws/sts/sts.ts";
import { InterruptedError, WeepError } from "../../../src/errors.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../../support/assert.ts";
import { startMoto } from "../../support/moto.ts";

const SECRET = "sts-test-SECRET-wJalrXUtnFEMI";
const TOKEN = "sts-test-TOKEN-FwoGZXIvYXdz";
const STATIC = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET };
const ROLE_A = "arn:aws:iam::123456789012:role/first";
const ROLE_B = "arn:aws:iam::210987654321:role/team/second";

function deps(extra: Partial<StsDeps> = {}): StsDeps {
  return { fetch, now: () => new Date(), ...extra };
}

/** Asserts that an error carries no test secret, in its message or hints. */
function assertNoSecret(error: Error): void {
  const text = [error.message, ...(error instanceof WeepError ? error.hints : [])].join("\n");
  assert(!text.includes(SECRET) && !text.includes(TOKEN), "a secret reached an error message");
}

/** A fetch that records form bodies and the XML STS answered. */
function recordingFetch(): { fetch: typeof fetch; calls: { params: URLSearchParams; answer: string }[] } {
  const calls: { params: URLSearchParams; answer: string }[] = [];
  return {
    calls,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      const answer = await response.text();
      calls.push({ params: new URLSearchParams(String(init?.body ?? "")), answer });
      return new Response(answer, { status: response.status, headers: response.headers });
    },
  };
}

function xmlText(xml: string, tag: string): string {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1] ?? "";
}

Deno.test("STS calls against moto_server", async (t) => {
  await using moto = await startMoto();
  if (!moto) return; // startMoto said why on stderr (a failure under WEEP_REQUIRE_INTEROP=1)
  const target = { region: "us-east-1", endpoint: moto.url };

  await t.step("assumeRole returns the role's credentials, expiration and both ARNs", async () => {
    const before = Date.now();
    const creds = await assumeRole(
      STATIC,
      { ...target, roleArn: ROLE_A, sessionName: "alice@example.com" },
      deps(),
    );
    assertEquals(creds.roleArn, ROLE_A);
    assertEquals(creds.assumedRoleArn, "arn:aws:sts::123456789012:assumed-role/first/alice@example.com");
    assertMatch(creds.accessKeyId, /^ASIA/);
    assert(creds.secretAccessKey.length >= 20 && creds.sessionToken.length >= 20, "keys look real");
    const lifetime = creds.expiration.getTime() - before;
    assert(lifetime > 3590_000 && lifetime < 3610_000, `expires in about an hour, got ${lifetime} ms`);
  });

  await t.step("getCallerIdentity names the assumed role session", async () => {
    const creds = await assumeRole(
      STATIC,
      { ...target, roleArn: ROLE_A, sessionName: "bob@example.com" },
      deps(),
    );
    const identity = await getCallerIdentity(creds, target, deps());
    assertEquals(identity.account, "123456789012");
    assertEquals(identity.arn, "arn:aws:sts::123456789012:assumed-role/first/bob@example.com");
    assertMatch(identity.userId, /^AROA[A-Z0-9]+:bob@example\.com$/);
  });

  await t.step("assumeRoleChain ends with the second role's ARN and its own expiration", async () => {
    const first = await assumeRole(
      STATIC,
      { ...target, roleArn: ROLE_A, sessionName: "carol@example.com" },
      deps(),
    );
    // ConsoleMe-like credentials with a short life, so the chain's expiration cannot be mistaken for them.
    const initial: AwsCredentials = { ...first, expiration: new Date(Date.now() + 5 * 60_000) };
    const recorder = recordingFetch();
    const env = (name: string) => name === "AWS_ENDPOINT_URL_STS" ? moto.url : undefined;
    const chained = await assumeRoleChain(
      initial,
      [ROLE_A, ROLE_B],
      { region: "us-east-1", env },
      deps({ fetch: recorder.fetch }),
    );
    assertEquals(recorder.calls.map((call) => call.params.get("Action")), [
      "GetCallerIdentity",
      "AssumeRole",
      "GetCallerIdentity",
      "AssumeRole",
    ]);
    for (const call of recorder.calls.filter((c) => c.params.get("Action") === "AssumeRole")) {
      assertEquals(call.params.get("RoleSessionName"), "carol@example.com");
      assertEquals(call.params.get("DurationSeconds"), "3600");
    }
    assertEquals(recorder.calls[3]?.params.get("RoleArn"), ROLE_B);
    const lastAnswer = recorder.calls[3]?.answer ?? "";
    assertEquals(chained.roleArn, ROLE_B);
    assertEquals(chained.expiration.getTime(), new Date(xmlText(lastAnswer, "Expiration")).getTime());
    assertEquals(chained.accessKeyId, xmlText(lastAnswer, "AccessKeyId"));
    const identity = await getCallerIdentity(chained, target, deps());
    assertEquals(identity.arn, "arn:aws:sts::210987654321:assumed-role/second/carol@example.com");
  });

  await t.step("static keys without a colon in UserId fall back to the session name weep", async () => {
    const logs: string[] = [];
    const recorder = recordingFetch();
    const env = (name: string) => name === "AWS_ENDPOINT_URL" ? moto.url : undefined;
    const initial: AwsCredentials = {
      ...STATIC,
      sessionToken: "",
      expiration: new Date(Date.now() + 3600_000),
    };
    const chained = await assumeRoleChain(initial, [ROLE_A], { region: "us-east-1", env }, {
      ...deps({ fetch: recorder.fetch }),
      log: (message, level) => logs.push(`${level}: ${message}`),
    });
    assertEquals(recorder.calls[1]?.params.get("RoleSessionName"), "weep");
    assertEquals(chained.roleArn, ROLE_A);
    assert(logs.some((line) => line.startsWith("debug: ") && line.includes('using "weep"')), logs.join("\n"));
  });
});

/** Serves `handler` on a free loopback port. */
function fakeSts(handler: (request: Request, form: URLSearchParams) => Response | Promise<Response>) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => handler(request, new URLSearchParams(await request.text())),
  );
  return Object.assign(server, { endpoint: `http://127.0.0.1:${server.addr.port}` });
}

const ACCESS_DENIED = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User: arn:aws:sts::123456789012:assumed-role/first/alice is not authorized to perform: sts:AssumeRole on resource: ${ROLE_B}</Message>
  </Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>`;

Deno.test("assumeRole sends a signed AssumeRole form and turns STS error XML into a WeepError", async () => {
  const seen: { headers: Headers; form: URLSearchParams }[] = [];
  await using server = fakeSts((request, form) => {
    seen.push({ headers: request.headers, form });
    return new Response(ACCESS_DENIED, { status: 403, headers: { "content-type": "text/xml" } });
  });
  const creds = { ...STATIC, sessionToken: TOKEN };
  const error = await assertRejects(
    () =>
      assumeRole(creds, {
        region: "eu-west-1",
        endpoint: server.endpoint,
        roleArn: ROLE_B,
        sessionName: "a@b.c",
      }, {
        ...deps(),
        now: () => new Date("2026-11-28T18:00:00Z"),
      }),
  );
  assert(error instanceof WeepError);
  assertEquals(
    error.message,
    `Cannot assume role "${ROLE_B}": AccessDenied: User: arn:aws:sts::123456789012:assumed-role/first/alice ` +
      `is not authorized to perform: sts:AssumeRole on resource: ${ROLE_B}`,
  );
  assertStringIncludes(error.hints.join("\n"), "trust policy");
  assertNoSecret(error);
  const request = seen[0];
  assert(request !== undefined);
  assertEquals(Object.fromEntries(request.form), {
    Action: "AssumeRole",
    Version: "2011-06-15",
    RoleArn: ROLE_B,
    RoleSessionName: "a@b.c",
    DurationSeconds: "3600",
  });
  assertEquals(request.headers.get("content-type"), "application/x-www-form-urlencoded; charset=utf-8");
  assertEquals(request.headers.get("x-amz-date"), "20261128T180000Z");
  assertEquals(request.headers.get("x-amz-security-token"), TOKEN);
  assertMatch(
    request.headers.get("authorization") ?? "",
    /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20261128\/eu-west-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
  );
});

Deno.test("STS answers that are not the expected XML give errors naming the endpoint", async () => {
  let answer = new Response("<html>Bad gateway</html>", { status: 502 });
  await using server = fakeSts(() => answer);
  const target = { region: "us-east-1", endpoint: server.endpoint };
  await assertRejects(
    () => getCallerIdentity(STATIC, target, deps()),
    `Cannot get the caller identity from STS: STS at "${server.endpoint}" answered HTTP 502`,
  );
  answer = new Response("{}", { status: 200 });
  await assertRejects(
    () => getCallerIdentity(STATIC, target, deps()),
    `unexpected answer from STS at "${server.endpoint}"`,
  );
  answer = new Response("<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>");
  await assertRejects(() => getCallerIdentity(STATIC, target, deps()), "unexpected answer from STS");
  answer = new Response("<ErrorResponse><Error><Code>ExpiredToken</Code></Error></ErrorResponse>", {
    status: 400,
  });
  const error = await assertRejects(() => getCallerIdentity(STATIC, target, deps()));
  assertEquals(error.message, "Cannot get the caller identity from STS: ExpiredToken");
  assertStringIncludes((error as WeepError).hints.join("\n"), "have expired");
});

Deno.test("STS failures say whether trying again later may help: 5xx and throttling may, AccessDenied will not", async () => {
  let answer = () => new Response("<html>Bad gateway</html>", { status: 502 });
  await using server = fakeSts(() => answer());
  const target = { region: "us-east-1", endpoint: server.endpoint };
  const failureOf = async () =>
    ((await assertRejects(() => getCallerIdentity(STATIC, target, deps()))) as WeepError).failure;
  assertEquals(await failureOf(), "transient");
  const xml = (code: string) => `<ErrorResponse><Error><Code>${code}</Code></Error></ErrorResponse>`;
  answer = () => new Response(xml("Throttling"), { status: 400 });
  assertEquals(await failureOf(), "transient");
  answer = () => new Response(xml("AccessDenied"), { status: 403 });
  assertEquals(await failureOf(), "final");
  // An answer without end is cut off at the limit instead of filling memory.
  answer = () =>
    new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(65536)) }), { status: 200 });
  const endless = await assertRejects(() => getCallerIdentity(STATIC, target, deps()));
  assertStringIncludes(endless.message, `STS at "${server.endpoint}" answered with more than 1 MiB`);
  assertEquals((endless as WeepError).failure, "transient");
});

Deno.test("a server that never answers times out with an error naming the endpoint", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const endpoint = `http://127.0.0.1:${listener.addr.port}`;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const started = Date.now();
    const error = await assertRejects(
      () => getCallerIdentity(STATIC, { region: "us-east-1", endpoint }, deps({ timeoutMs: 300 })),
    );
    assertEquals(
      error.message,
      `Cannot get the caller identity from STS: cannot reach STS at "${endpoint}": no answer within 300 ms`,
    );
    assertEquals((error as WeepError).failure, "transient");
    assert(Date.now() - started < 5000, "gave up promptly");
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const conn of held) conn.close();
  }
});

Deno.test("a refused connection says so and names the endpoint", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const endpoint = `http://127.0.0.1:${listener.addr.port}`;
  listener.close();
  const error = await assertRejects(
    () => assumeRole(STATIC, { region: "us-east-1", endpoint, roleArn: ROLE_A, sessionName: "weep" }, deps()),
  );
  assertEquals(
    error.message,
    `Cannot assume role "${ROLE_A}": cannot reach STS at "${endpoint}": connection refused`,
  );
  assert(error instanceof WeepError && error.hints.length > 0);
  assertNoSecret(error);
});

Deno.test("an aborted call rejects with the signal's reason", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const endpoint = `http://127.0.0.1:${listener.addr.port}`;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new InterruptedError()), 100);
  try {
    const error = await assertRejects(
      () => getCallerIdentity(STATIC, { region: "us-east-1", endpoint }, deps({ signal: controller.signal })),
    );
    assert(error instanceof InterruptedError, `got ${error}`);
  } finally {
    clearTimeout(timer);
    listener.close();
    await accepting.catch(() => {});
    for (const conn of held) conn.close();
  }
});

Deno.test("assumeRoleChain warns and uses weep when GetCallerIdentity fails", async () => {
  const sessionNames: (string | null)[] = [];
  await using server = fakeSts((_request, form) => {
    if (form.get("Action") === "GetCallerIdentity") {
      return new Response(
        "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>",
        { status: 403 },
      );
    }
    sessionNames.push(form.get("RoleSessionName"));
    return new Response(`<AssumeRoleResponse><AssumeRoleResult>
      <Credentials><AccessKeyId>ASIAFAKE</AccessKeyId><SecretAccessKey>s3cr3t-key</SecretAccessKey>
      <SessionToken>t0ken</SessionToken><Expiration>2026-11-28T19:00:00Z</Expiration></Credentials>
      <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/first/weep</Arn></AssumedRoleUser>
      </AssumeRoleResult></AssumeRoleResponse>`);
  });
  const logs: string[] = [];
  const initial: AwsCredentials = {
    ...STATIC,
    sessionToken: TOKEN,
    expiration: new Date("2026-11-28T18:10:00Z"),
  };
  const env = (name: string) => name === "AWS_ENDPOINT_URL_STS" ? server.endpoint : undefined;
  const chained = await assumeRoleChain(initial, [ROLE_A], { region: "us-east-1", env }, {
    ...deps(),
    log: (message, level) => logs.push(`${level}: ${message}`),
  });
  assertEquals(sessionNames, ["weep"]);
  assertEquals(chained, {
    accessKeyId: "ASIAFAKE",
    secretAccessKey: "s3cr3t-key",
    sessionToken: "t0ken",
    expiration: new Date("2026-11-28T19:00:00Z"),
    roleArn: ROLE_A,
    assumedRoleArn: "arn:aws:sts::123456789012:assumed-role/first/weep",
  } as AwsCredentials);
  const warning = logs.find((line) => line.startsWith("warn: "));
  assertStringIncludes(warning ?? "", "AccessDenied");
  assert(!logs.join("\n").includes(TOKEN), "no token in logs");
});

Deno.test("assumeRoleChain checks every ARN before calling STS", async () => {
  const noFetch: typeof fetch = () => Promise.reject(new Error("fetch must not be called"));
  const initial: AwsCredentials = { ...STATIC, sessionToken: TOKEN, expiration: new Date() };
  const options = { region: "us-east-1", env: () => undefined };
  await assertRejects(
    () =>
      assumeRoleChain(initial, [ROLE_A, "arn:aws:iam::12345:role/short"], options, deps({ fetch: noFetch })),
    'Invalid role ARN "arn:aws:iam::12345:role/short" for --assume-role: expected arn:aws:iam::<account>:role/<name>',
  );
  assertEquals(await assumeRoleChain(initial, [], options, deps({ fetch: noFetch })), initial);
});

Deno.test("validateRoleArn accepts role ARNs of every partition, with paths, and nothing else", () => {
  for (
    const arn of [
      ROLE_A,
      ROLE_B,
      "arn:aws-us-gov:iam::123456789012:role/x",
      "arn:aws-cn:iam::123456789012:role/a/b/c/Name+=,.@-_",
    ]
  ) validateRoleArn(arn);
  for (
    const arn of [
      "",
      "first",
      "arn:aws:iam::123456789012:user/alice",
      "arn:aws:iam:us-east-1:123456789012:role/x",
      "arn:aws:iam::1234567890123:role/x",
      "arn:aws:iam::123456789012:role/",
      "arn:aws:iam::123456789012:role/path/",
      "arn:aws:sts::123456789012:assumed-role/x/y",
      "arn:aws:iam::123456789012:role/x y",
    ]
  ) {
    let threw = false;
    try {
      validateRoleArn(arn);
    } catch (error) {
      threw = error instanceof WeepError &&
        error.message.startsWith(`Invalid role ARN "${arn}" for --assume-role`);
    }
    assert(threw, `rejects ${JSON.stringify(arn)}`);
  }
});

Deno.test("sessionNameFromUserId takes the part after the colon and keeps it within STS's rules", () => {
  assertEquals(sessionNameFromUserId("AROAEXAMPLE:alice@example.com"), "alice@example.com");
  assertEquals(sessionNameFromUserId("AROAEXAMPLE:i-0abc:extra"), "i-0abc-extra");
  assertEquals(sessionNameFromUserId("AROAEXAMPLE:" + "x".repeat(80)), "x".repeat(64));
  assertEquals(sessionNameFromUserId("AIDAEXAMPLE"), undefined);
  assertEquals(sessionNameFromUserId("AROAEXAMPLE:a"), undefined);
});

Deno.test("resolveStsEndpoint prefers AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL, then the region", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assertEquals(
    resolveStsEndpoint(
      "eu-west-1",
      env({ AWS_ENDPOINT_URL_STS: "http://sts.local:1", AWS_ENDPOINT_URL: "http://x" }),
    ),
    "http://sts.local:1",
  );
  assertEquals(
    resolveStsEndpoint("eu-west-1", env({ AWS_ENDPOINT_URL: "http://all.local" })),
    "http://all.local",
  );
  assertEquals(
    resolveStsEndpoint("eu-west-1", env({ AWS_ENDPOINT_URL_STS: " " })),
    "https://sts.eu-west-1.amazonaws.com",
  );
  assertEquals(
    resolveStsEndpoint(
      "eu-west-1",
      env({ AWS_ENDPOINT_URL: "http://x", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }),
    ),
    "https://sts.eu-west-1.amazonaws.com",
  );
  assertEquals(defaultStsEndpoint("cn-north-1"), "https://sts.cn-north-1.amazonaws.com.cn");
  let error: unknown;
  try {
    resolveStsEndpoint("us-east-1", env({ AWS_ENDPOINT_URL_STS: "localhost:5000" }));
  } catch (e) {
    error = e;
  }
  assert(error instanceof WeepError);
  assertEquals(
    error.message,
    'Invalid STS endpoint "localhost:5000" in AWS_ENDPOINT_URL_STS: expected an http:// or https:// URL',
  );
  try {
    defaultStsEndpoint("evil.example.com/x");
    assert(false, "a bad region must be refused");
  } catch (e) {
    assertStringIncludes(String(e), 'Invalid AWS region "evil.example.com/x" for STS');
  }
});

Deno.test("an endpoint that echoes the request back cannot put the token into the error", async () => {
  let xml = true;
  await using server = fakeSts((request) => {
    const echo = `token=${request.headers.get("x-amz-security-token")}`;
    return xml
      ? new Response(
        `<ErrorResponse><Error><Code>Bad</Code><Message>${echo}</Message></Error></ErrorResponse>`,
        {
          status: 400,
        },
      )
      : new Response(echo, { status: 500 });
  });
  const target = { region: "us-east-1", endpoint: server.endpoint };
  const creds = { ...STATIC, sessionToken: TOKEN };
  const withXml = await assertRejects(() => getCallerIdentity(creds, target, deps()));
  assertEquals(withXml.message, "Cannot get the caller identity from STS: Bad: token=[redacted]");
  xml = false;
  const plain = await assertRejects(() => getCallerIdentity(creds, target, deps()));
  assertNoSecret(plain);
  assertEquals(String((plain.cause as Error).message), "HTTP 500: token=[redacted]");
});
