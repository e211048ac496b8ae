import { assert, assertEquals, assertMatch } from "../support/assert.ts";
import { authTokenChecker, base64url, generateAuthToken } from "../../src/server/auth_token.ts";

Deno.test("generateAuthToken makes 32 random bytes of shell-safe base64url", () => {
  const token = generateAuthToken();
  assertMatch(token, /^[A-Za-z0-9_-]{43}$/);
  assert(generateAuthToken() !== token, "two tokens are equal");
});

Deno.test("base64url has no padding and no + or /", () => {
  assertEquals(base64url(new Uint8Array([0xfb, 0xff, 0xbf])), "-_-_");
  assertEquals(base64url(new Uint8Array([1])), "AQ");
});

Deno.test("authTokenChecker accepts exactly the token", async () => {
  const token = generateAuthToken();
  const check = authTokenChecker(token);
  assertEquals(await check(token), true);
  for (
    const other of ["", token.slice(1), token + "x", token.toUpperCase(), ` ${token}`, `Bearer ${token}`]
  ) {
    assertEquals(await check(other), false, other);
  }
});
