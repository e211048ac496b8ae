import {
  discardSession,
  isUsable,
  parseSession,
  readSession,
  type Session,
  writeSession,
} from "../../src/auth/session.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { tempHome } from "../support/cli.ts";

const URL_A = "https://consoleme.example.com";
const NOW = new Date("2026-11-28T18:00:00Z");
const nowSeconds = NOW.getTime() / 1000;

function session(extra: Partial<Session> = {}): Session {
  return {
    cookie_name: "consoleme_auth",
    encoded_jwt: "eyJhbGciOiJIUzI1NiJ9.e30.sig-one",
    expiration: nowSeconds + 3600,
    user: "alice@example.com",
    consoleme_url: URL_A,
    ...extra,
  };
}

Deno.test("parseSession reads weep's session JSON", () => {
  assertEquals(parseSession(JSON.stringify(session())), session());
});

Deno.test("parseSession treats a missing URL as no URL, so the session is never used for a server", () => {
  const { consoleme_url: _, ...old } = session();
  const parsed = parseSession(JSON.stringify(old));
  assertEquals(parsed?.consoleme_url, "");
  assert(!isUsable(parsed, URL_A, NOW));
});

Deno.test("parseSession: a missing, broken or wrongly typed file is no session, never a crash", () => {
  for (
    const text of [
      undefined,
      "",
      "{",
      "null",
      "[]",
      '"text"',
      JSON.stringify({ ...session(), expiration: "1717003600" }),
      JSON.stringify({ ...session(), encoded_jwt: null }),
      JSON.stringify({ cookie_name: "consoleme_auth", expiration: 1, user: "u" }),
    ]
  ) {
    assertEquals(parseSession(text), undefined, String(text));
  }
});

Deno.test("isUsable: the same ConsoleMe and more than a minute left", () => {
  assert(isUsable(session(), URL_A, NOW));
  assert(isUsable(session({ expiration: nowSeconds + 61 }), URL_A, NOW));
  assert(!isUsable(session({ expiration: nowSeconds + 60 }), URL_A, NOW), "within the safety margin");
  assert(!isUsable(session({ expiration: nowSeconds - 1 }), URL_A, NOW), "expired");
  assert(!isUsable(session(), "https://other.example.com", NOW), "another ConsoleMe");
  assert(!isUsable(undefined, URL_A, NOW));
});

Deno.test("writeSession stores one JSON line with mode 0600; readSession reads it back", async () => {
  await using home = await tempHome();
  const path = `${home.weep}/nested/session.json`;
  await writeSession(path, session());
  assertEquals(await Deno.readTextFile(path), JSON.stringify(session()) + "\n");
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(`${home.weep}/nested`)).mode! & 0o777, 0o700);
  }
  assertEquals(await readSession(path), session());
  assertEquals(await readSession(`${home.weep}/missing.json`), undefined);
});

Deno.test("discardSession removes the rejected session, but keeps one another process stored since", async () => {
  await using home = await tempHome();
  const path = `${home.weep}/session.json`;
  await writeSession(path, session({ encoded_jwt: "newer-jwt-from-another-process" }));
  await discardSession(path, session().encoded_jwt);
  assertEquals((await readSession(path))?.encoded_jwt, "newer-jwt-from-another-process");
  await discardSession(path, "newer-jwt-from-another-process");
  assertEquals(await readSession(path), undefined);
  await discardSession(path, "anything");
});
