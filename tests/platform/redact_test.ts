import { bodyExcerpt, redactSecrets } from "../../src/platform/redact.ts";
import { assert, assertEquals } from "../support/assert.ts";

const KEY_ID = "ASIAQWERTYUIOPASDFGH";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN = "FwoGZXIvYXdzEL" + "AbCdEfGh1234/+".repeat(20);
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJlbWFpbCI6InVAeC5jb20ifQ.c2lnbmF0dXJlLXZhbHVl";

function assertClean(text: string, ...secrets: string[]): void {
  for (const secret of secrets) {
    assert(!text.includes(secret), `"${secret.slice(0, 12)}…" survived in: ${text}`);
  }
}

Deno.test("redactSecrets removes the key ID, secret key and session token of a credentials body, not its Expiration", () => {
  const body = JSON.stringify({
    Credentials: { AccessKeyId: KEY_ID, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: 1 },
  });
  const clean = redactSecrets(body);
  assertClean(clean, KEY_ID, SECRET, TOKEN.slice(0, 20));
  assert(clean.includes('"Expiration":1'), clean);
});

Deno.test("redactSecrets removes a secret cut off mid-value, as in a truncated body", () => {
  const body =
    `{"Credentials": {"AccessKeyId": "${KEY_ID}", "SecretAccessKey": "${SECRET}", "SessionToken": "FwoG`;
  const clean = redactSecrets(body);
  assertClean(clean, KEY_ID, SECRET, "FwoG");
  assertEquals(
    clean,
    '{"Credentials": {"AccessKeyId": "[redacted]", "SecretAccessKey": "[redacted]", "SessionToken": "[redacted]"',
  );
});

Deno.test("redactSecrets removes bare access key IDs, secret keys, session tokens and JWTs in prose", () => {
  const text = `upstream said key ${KEY_ID} secret ${SECRET} token ${TOKEN} and ${JWT} then AKIAABCD`;
  const clean = redactSecrets(text);
  assertClean(clean, KEY_ID, SECRET, TOKEN.slice(0, 20), JWT.split(".")[1]!, "AKIAABCD");
  assert(clean.startsWith("upstream said key [redacted]"), clean);
});

Deno.test("redactSecrets removes a JWT cut off before its first dot, and the login poller's fields", () => {
  const body = `{"status": "success", "cookie_name": "consoleme_auth", "encoded_jwt": "${JWT.slice(0, 50)}`;
  const clean = redactSecrets(body);
  assertClean(clean, JWT.slice(0, 50), "consoleme_auth");
  assert(clean.includes('"status": "success"'), clean);
});

Deno.test("redactSecrets removes cookies, authorization headers and credentials-file keys", () => {
  const text = [
    "Cookie: consoleme_auth=abc.def; other=1",
    "Set-Cookie: session=s3cr3t; HttpOnly",
    "Authorization: Bearer abcdef123456",
    "aws_secret_access_key = shortsecret",
    "aws_session_token=tok",
    "password=hunter2",
  ].join("\n");
  const clean = redactSecrets(text);
  assertClean(clean, "abc.def", "s3cr3t", "abcdef123456", "shortsecret", "=tok", "hunter2");
  assertEquals(clean.split("\n")[0], "Cookie: [redacted]");
});

Deno.test("redactSecrets keeps ordinary error text: statuses, ARNs, URLs and request ids", () => {
  const text =
    "HTTP 502 Bad Gateway from https://consoleme.example.com/api/v1/get_roles for arn:aws:iam::123456789012:role/app_admin (request 4f1c2a9e-1b2c-4d3e-8f90-1234567890ab)";
  assertEquals(redactSecrets(text), text);
});

Deno.test("bodyExcerpt redacts before it cuts, folds whitespace, escapes control characters", () => {
  const body = `<html>\n  <body>error ${"bad gateway ".repeat(15)} ${SECRET}</body>\x1b[2J\r\n</html>`;
  const excerpt = bodyExcerpt(body);
  assertClean(excerpt, SECRET, SECRET.slice(0, 30), "\x1b", "\r", "\n");
  assert(excerpt.startsWith("<html> <body>error bad gateway bad"), excerpt);
  assert(excerpt.endsWith("..."), excerpt);
  assertEquals(bodyExcerpt("  \n "), "(empty)");
  assertEquals(bodyExcerpt(`a\x1b[2Jb`), "a?[2Jb");
});
