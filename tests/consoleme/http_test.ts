import { InterruptedError, WeepError } from "../../src/errors.ts";
import {
  type HttpDeps,
  isHtml,
  networkError,
  originOf,
  parseJson,
  send,
  shownBody,
} from "../../src/consoleme/http.ts";
import { USER_AGENT } from "../../src/version.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../support/assert.ts";
import { type FaultKind, startConsoleMe } from "../support/consoleme_server.ts";

function deps(extra: Partial<HttpDeps> = {}): HttpDeps {
  return { fetch, timeoutMs: 5000, userAgent: USER_AGENT, ...extra };
}

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("send sends weep's User-Agent and Content-Type, the body and extra headers", async () => {
  await using cm = await startConsoleMe();
  const response = await send(
    "POST",
    `${cm.url}/api/v1/get_credentials`,
    { body: '{"requested_role":"x"}\n', headers: { Cookie: "other=1" } },
    deps(),
  );
  assertEquals(response.status, 403);
  assertEquals(response.contentType, "application/problem+json");
  const seen = cm.requests[0]!;
  assertEquals(seen.userAgent, USER_AGENT);
  assertMatch(USER_AGENT, /^weep\/\d+\.\d+\.\d+\S* \(Deno\)$/);
  assertEquals(seen.contentType, "application/json");
  assertEquals(seen.body, '{"requested_role":"x"}\n');
  assertEquals(seen.cookieNames, ["other"]);
});

Deno.test("send: a closed port is 'connection refused' naming the ConsoleMe origin", async () => {
  const url = `http://127.0.0.1:${closedPort()}`;
  const error = await assertRejects(() => send("GET", `${url}/api/v2/get_roles?all=true`, {}, deps()));
  assert(error instanceof WeepError);
  assertEquals(error.message, `Cannot reach ConsoleMe at "${url}": connection refused`);
  assertEquals(error.hints, ["Check consoleme_url in ~/.aws/weep/weep.yaml and your network"]);
  assert(error.cause !== undefined, "the original error is kept as the cause");
});

Deno.test("send: a host name that does not resolve says so", async () => {
  const error = await assertRejects(() =>
    send("GET", "https://nonexistent.invalid/api/v1/get_credentials", {}, deps())
  );
  assertEquals(
    error.message,
    'Cannot reach ConsoleMe at "https://nonexistent.invalid": the host name does not resolve',
  );
});

Deno.test("send: https to a plain-HTTP server is a TLS failure with an mTLS hint", async () => {
  await using cm = await startConsoleMe();
  const https = cm.url.replace("http:", "https:");
  const error = await assertRejects(() => send("GET", `${https}/healthcheck`, {}, deps())) as WeepError;
  assertEquals(error.message, `Cannot reach ConsoleMe at "${https}": TLS failed (certificate or protocol)`);
  assertStringIncludes(error.hints.join("\n"), "mtls_settings");
});

const CUT: [FaultKind, string][] = [
  ["drop", "the connection was closed without an answer"],
  ["truncated", "the connection broke off in the middle of the answer"],
];
for (const [kind, reason] of CUT) {
  Deno.test(`send: a connection cut by the '${kind}' fault is '${reason}', a transient failure`, async () => {
    await using cm = await startConsoleMe();
    cm.fault(kind, { endpoint: "*" });
    const error = await assertRejects(() => send("GET", `${cm.url}/healthcheck`, {}, deps()));
    assertEquals(error.message, `Cannot reach ConsoleMe at "${cm.url}": ${reason}`);
    assertEquals((error as WeepError).failure, "transient");
  });
}

Deno.test("send: a server that never answers times out after timeoutMs, not later", async () => {
  await using cm = await startConsoleMe();
  cm.fault("slow", { endpoint: "*" });
  const started = Date.now();
  const error = await assertRejects(() => send("GET", `${cm.url}/healthcheck`, {}, deps({ timeoutMs: 300 })));
  const elapsed = Date.now() - started;
  assertEquals(error.message, `ConsoleMe at "${cm.url}" did not answer within 0.3 s`);
  assertStringIncludes((error as WeepError).hints[0]!, "server.http_timeout");
  assert(elapsed >= 250 && elapsed < 3000, `gave up after ${elapsed} ms`);
});

Deno.test("send: Ctrl-C (the signal) is an interruption, not a network error", async () => {
  await using cm = await startConsoleMe();
  cm.fault("slow", { endpoint: "*" });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new InterruptedError()), 50);
  const error = await assertRejects(() =>
    send("GET", `${cm.url}/healthcheck`, {}, deps({ signal: controller.signal }))
  );
  assert(error instanceof InterruptedError, `got ${error.name}: ${error.message}`);
});

Deno.test("networkError classifies by the error text and its cause; unknown failures stay generic", () => {
  const url = "https://cm.example.com/api/v1/get_credentials";
  const cases: [unknown, string][] = [
    [new TypeError("error sending request: Connection refused (os error 111)"), "connection refused"],
    [
      new TypeError("client error", { cause: new Error("dns error: failed to lookup address information") }),
      "the host name does not resolve",
    ],
    [new TypeError("invalid peer certificate: UnknownIssuer"), "TLS failed (certificate or protocol)"],
    [
      new TypeError("connection closed before message completed"),
      "the connection was closed without an answer",
    ],
    [new TypeError("Requires net access"), "the request failed"],
    ["a string", "the request failed"],
  ];
  for (const [error, reason] of cases) {
    assertEquals(
      networkError(error, url, false, 20_000).message,
      `Cannot reach ConsoleMe at "https://cm.example.com": ${reason}`,
    );
  }
  const timeout = networkError(new DOMException("signal timed out", "TimeoutError"), url, false, 20_000);
  assertEquals(timeout.message, 'ConsoleMe at "https://cm.example.com" did not answer within 20 s');
});

Deno.test("parseJson reads ujson bodies with \\/ escapes", () => {
  const body = parseJson(
    { status: 200, contentType: "application/json", text: '{"SecretAccessKey": "ab\\/cd"}' },
    "https://cm",
  );
  assertEquals(body, { SecretAccessKey: "ab/cd" });
});

Deno.test("parseJson: HTML (by type or by its first character) says to check consoleme_url", () => {
  for (
    const response of [
      { status: 200, contentType: "text/html; charset=UTF-8", text: "OK" },
      { status: 403, contentType: "", text: "  <html><title>403: Forbidden</title></html>" },
    ]
  ) {
    const error = assertThrows(() => parseJson(response, "https://cm.example.com")) as WeepError;
    assertEquals(
      error.message,
      'ConsoleMe at "https://cm.example.com" answered with HTML, not JSON: check consoleme_url',
    );
    assertStringIncludes(error.hints[0]!, `HTTP status ${response.status}`);
  }
});

Deno.test("parseJson: a garbled success is never quoted (it may be credentials cut off)", () => {
  const text =
    '{"Credentials": {"AccessKeyId":\n  "ASIAQWERTYUIOPASDFGH", "SecretAccessKey": "wJalrXUtnFEMI/K7';
  const error = assertThrows(() =>
    parseJson({ status: 200, contentType: "application/json", text }, "https://cm")
  ) as WeepError;
  assertEquals(error.message, 'ConsoleMe at "https://cm" sent a response that is not valid JSON (HTTP 200)');
  assertEquals(error.hints, ["Check consoleme_url, or try again later"]);
});

Deno.test("parseJson: a garbled error answer is quoted shortened, on one line, with secrets removed", () => {
  const text = `upstream failed\n  for key ASIAQWERTYUIOPASDFGH with cookie eyJhbGciOiJIUzI1NiJ9.e30.sig ${
    "and more ".repeat(40)
  }`;
  const error = assertThrows(() =>
    parseJson({ status: 502, contentType: "text/plain", text }, "https://cm")
  ) as WeepError;
  assertEquals(error.message, 'ConsoleMe at "https://cm" sent a response that is not valid JSON (HTTP 502)');
  assertMatch(
    error.hints[0]!,
    /^It began with: upstream failed for key \[redacted\] with cookie \[redacted\] and more and more .{100,}\.\.\.$/,
  );
});

Deno.test("shownBody: nothing for a success or an endpoint whose answers hold secrets", () => {
  const text = "Bad Gateway";
  assertEquals(shownBody({ status: 200, contentType: "", text }), undefined);
  assertEquals(shownBody({ status: 502, contentType: "", text, secret: true }), undefined);
  assertEquals(shownBody({ status: 502, contentType: "", text }), "Bad Gateway");
  assertEquals(shownBody({ status: 502, contentType: "", text: " \n" }), "(empty)");
});

Deno.test("isHtml and originOf", () => {
  assert(isHtml({ status: 200, contentType: "TEXT/HTML", text: "" }));
  assert(!isHtml({ status: 200, contentType: "application/json", text: "{}" }));
  assertEquals(originOf("https://cm.example.com:8443/api/v1/x?y=1"), "https://cm.example.com:8443");
  assertEquals(originOf("not a url"), "not a url");
});

Deno.test("send reads at most maxBytes of an answer; more is a transient error naming the limit", async () => {
  await using cm = await startConsoleMe();
  cm.fault("endless", { endpoint: "/healthcheck", times: 2 });
  const error = await assertRejects(() => send("GET", `${cm.url}/healthcheck`, {}, deps()));
  assertEquals(
    error.message,
    `ConsoleMe at "${cm.url}" answered GET /healthcheck with more than weep's limit of 1 MiB`,
  );
  assertEquals((error as WeepError).failure, "transient");
  const wide = await assertRejects(() => send("GET", `${cm.url}/healthcheck`, { maxBytes: 4 << 20 }, deps()));
  assertStringIncludes(wide.message, "weep's limit of 4 MiB");
  assertEquals((await send("GET", `${cm.url}/healthcheck`, { maxBytes: 2 }, deps())).text, "OK");
});

Deno.test("parseJson refuses a long answer nested deeper than ConsoleMe's ever are, naming the depth", () => {
  const deep = "[".repeat(200_000) + "]".repeat(200_000);
  const response = { status: 200, contentType: "application/json", text: deep };
  const error = assertThrows(() => parseJson(response, "https://cm.example.com")) as WeepError;
  assertEquals(
    error.message,
    'ConsoleMe at "https://cm.example.com" sent a response nested more than 64 levels deep (HTTP 200)',
  );
  assertEquals(error.failure, "transient");
  // A long answer of ordinary depth, with brackets in its strings, is read.
  const wide = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => `arn:aws:iam::1:role/[${i}]{`));
  assertEquals((parseJson({ ...response, text: wide }, "https://cm.example.com") as string[]).length, 20_000);
});
