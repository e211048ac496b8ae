import {
  discardSession,
  findSession,
  isUsable,
  latestUserSync,
  listSessions,
  parseSession,
  type Session,
  sessionPath,
  writeSession,
} from "../../src/auth/session.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { tempHome } from "../support/cli.ts";
import { sessionStore } from "../support/logged_in.ts";

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

Deno.test("isUsable: any spelling of the same ConsoleMe", () => {
  assert(isUsable(session(), "https://ConsoleMe.example.com/", NOW));
  assert(isUsable(session({ consoleme_url: "https://consoleme.example.com:443" }), URL_A, NOW));
});

Deno.test("writeSession stores one JSON line with mode 0600, in a file per ConsoleMe and user", async () => {
  await using home = await tempHome();
  const store = sessionStore(home);
  await writeSession(store, session());
  const path = await sessionPath(store.sessionsDir, URL_A, "Alice@Example.com");
  assertEquals(await Deno.readTextFile(path), JSON.stringify(session()) + "\n");
  assert(!path.includes("alice") && !path.includes("consoleme"), "names and URLs stay out of file names");
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(store.sessionsDir)).mode! & 0o777, 0o700);
  }
  assertEquals(await findSession(store, URL_A, "alice@example.com"), session());
  assertEquals(await findSession(store, URL_A, "bob@example.com"), undefined);
  assertEquals(await findSession(store, "https://other.example.com"), undefined);
});

Deno.test("sessions of two ConsoleMes and two users live side by side; without a user, the latest is used", async () => {
  await using home = await tempHome();
  const store = sessionStore(home);
  const other = "http://127.0.0.1:9999/cm";
  const alice = session();
  const bob = session({ user: "bob@example.com", encoded_jwt: "bob-jwt", expiration: nowSeconds + 7200 });
  const elsewhere = session({
    consoleme_url: other,
    encoded_jwt: "other-jwt",
    expiration: nowSeconds + 9000,
  });
  for (const s of [alice, bob, elsewhere]) await writeSession(store, s);
  assertEquals(await findSession(store, URL_A, "alice@example.com"), alice);
  assertEquals(await findSession(store, URL_A), bob);
  assertEquals(await latestUserSync(store.sessionsDir, URL_A), "bob@example.com");
  assertEquals(await findSession(store, `${other}/`), elsewhere);
  assertEquals((await listSessions(store)).map((s) => s.session), [elsewhere, alice, bob]);
  assertEquals(await latestUserSync(`${home.weep}/missing`, URL_A), "");
});

Deno.test("the single session.json of earlier releases is moved into the store once, never over a newer one", async () => {
  await using home = await tempHome();
  const store = sessionStore(home);
  await Deno.writeTextFile(store.legacySessionFile, JSON.stringify(session()), { mode: 0o644 });
  assertEquals(await latestUserSync(store.sessionsDir, URL_A), "", "the fast path does not move it");
  assertEquals(await findSession(store, URL_A), session());
  assertEquals(await Deno.stat(store.legacySessionFile).catch(() => undefined), undefined);
  const path = await sessionPath(store.sessionsDir, URL_A, "alice@example.com");
  if (Deno.build.os !== "windows") assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);

  const newer = session({ encoded_jwt: "newer-jwt" });
  await writeSession(store, newer);
  await Deno.writeTextFile(store.legacySessionFile, JSON.stringify(session()));
  assertEquals(await findSession(store, URL_A, "alice@example.com"), newer);
  // A file that names no ConsoleMe could never be used: it goes.
  await Deno.writeTextFile(store.legacySessionFile, "{ broken");
  assertEquals((await listSessions(store)).length, 1);
  assertEquals(await Deno.stat(store.legacySessionFile).catch(() => undefined), undefined);
});

Deno.test("discardSession removes the rejected session, but keeps one another process stored since", async () => {
  await using home = await tempHome();
  const store = sessionStore(home);
  await writeSession(store, session({ encoded_jwt: "newer-jwt-from-another-process" }));
  await discardSession(store, session());
  assertEquals((await findSession(store, URL_A))?.encoded_jwt, "newer-jwt-from-another-process");
  await discardSession(store, session({ encoded_jwt: "newer-jwt-from-another-process" }));
  assertEquals(await findSession(store, URL_A), undefined);
  await discardSession(store, session());
});
