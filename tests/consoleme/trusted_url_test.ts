import { requireTrustedUrl, untrustedReason, type UrlTrust } from "../../src/consoleme/trusted_url.ts";
import { WeepError } from "../../src/errors.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../support/assert.ts";

const HTTPS: UrlTrust = { baseUrls: ["https://cm.example.com/consoleme"], extraOrigins: [] };
const HTTP: UrlTrust = { baseUrls: ["http://127.0.0.1:8081"], extraOrigins: [] };

Deno.test("ConsoleMe's own https URLs may be opened, on any path", () => {
  assertEquals(untrustedReason("https://cm.example.com/challenge_validator/x", HTTPS), undefined);
  assertEquals(untrustedReason("https://CM.example.com:443/noauth/v1/challenge_poller/x", HTTPS), undefined);
});

Deno.test("http only when consoleme_url is http; never another host, port, scheme or an option", () => {
  assertEquals(untrustedReason("http://127.0.0.1:8081/challenge_validator/x", HTTP), undefined);
  assertEquals(untrustedReason("https://127.0.0.1:8081/challenge_validator/x", HTTP), undefined);
  const refused: [string, UrlTrust, string][] = [
    ["http://cm.example.com/x", HTTPS, `scheme "http:" and host "cm.example.com"`],
    ["https://cm.example.com:8443/x", HTTPS, `host "cm.example.com:8443"`],
    ["https://cm.example.com.evil.example/x", HTTPS, `host "cm.example.com.evil.example"`],
    ["https://cm.example.com@evil.example/x", HTTPS, `host "evil.example"`],
    ["http://127.0.0.1:8082/x", HTTP, `host "127.0.0.1:8082"`],
    ["file:///etc/passwd", HTTPS, `scheme "file:" and host "(none)"`],
    ["javascript:alert(1)", HTTPS, `scheme "javascript:"`],
    ["--help", HTTPS, `"--help" is not an absolute URL`],
    ["/relative/path", HTTPS, "is not an absolute URL"],
  ];
  for (const [url, trust, part] of refused) {
    const reason = untrustedReason(url, trust);
    assert(reason !== undefined, `${url} was allowed`);
    assertStringIncludes(reason, part);
  }
});

Deno.test("trusted_origins adds exact origins (scheme, host and port)", () => {
  const trust = { ...HTTPS, extraOrigins: ["https://login.example.com"] };
  assertEquals(untrustedReason("https://login.example.com/approve", trust), undefined);
  assert(untrustedReason("http://login.example.com/approve", trust) !== undefined);
  assert(untrustedReason("https://login.example.com:8443/approve", trust) !== undefined);
});

Deno.test("requireTrustedUrl returns the URL, or a transient error naming what was refused and how to allow it", () => {
  assertEquals(requireTrustedUrl("https://cm.example.com/x", HTTPS, "the link"), "https://cm.example.com/x");
  const error = assertThrows(() => requireTrustedUrl("smb://host/share", HTTPS, "the challenge_url"));
  assert(error instanceof WeepError);
  assertEquals(
    error.message,
    `Refusing the challenge_url ConsoleMe sent: scheme "smb:" and host "host" are not ConsoleMe's (https://cm.example.com)`,
  );
  assertEquals(error.failure, "transient");
  assertStringIncludes(error.hints.join("\n"), "trusted_origins");
});
