import { assert, assertEquals } from "../support/assert.ts";
import { ImdsTokens, MAX_TOKENS, parseTokenTtl } from "../../src/server/imds_tokens.ts";
import { FakeClock } from "./fakes.ts";

Deno.test("parseTokenTtl accepts integers from 1 to 21600 only", () => {
  assertEquals([parseTokenTtl("1"), parseTokenTtl("21600"), parseTokenTtl(" 60 "), parseTokenTtl("0060")], [
    1,
    21600,
    60,
    60,
  ]);
  for (const bad of [null, "", "0", "21601", "-1", "1e3", "1.0", "ten", "99999999999"]) {
    assertEquals(parseTokenTtl(bad), undefined, String(bad));
  }
});

Deno.test("tokens live for their TTL, report whole seconds left, then are gone", () => {
  const clock = new FakeClock();
  const tokens = new ImdsTokens(clock.now);
  const token = tokens.issue(10);
  assertEquals(tokens.remainingSeconds(token), 10);
  clock.advance(9_500);
  assertEquals(tokens.remainingSeconds(token), 1);
  clock.advance(500);
  assertEquals(tokens.remainingSeconds(token), undefined);
  assertEquals(tokens.remainingSeconds("unknown"), undefined);
  assert(tokens.issue(10) !== tokens.issue(10), "tokens repeat");
});

Deno.test("expired tokens are swept on issue and the store is bounded", () => {
  const clock = new FakeClock();
  const tokens = new ImdsTokens(clock.now);
  for (let i = 0; i < 5; i++) tokens.issue(1);
  clock.advance(1000);
  tokens.issue(60);
  assertEquals(tokens.size, 1);
  const first = tokens.issue(60);
  for (let i = 0; i < MAX_TOKENS; i++) tokens.issue(60);
  assertEquals(tokens.size, MAX_TOKENS);
  assertEquals(tokens.remainingSeconds(first), undefined);
});
