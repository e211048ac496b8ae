import {
  type CacheEntry,
  cacheKey,
  identityOf,
  isFresh,
  keyId,
  keyUser,
  parseEntry,
  sameKey,
  serializeEntry,
} from "../../src/cache/entry.ts";
import { defaults } from "../../src/config/schema.ts";
import { assert, assertEquals } from "../support/assert.ts";

const key = {
  url: "https://cm.example.com",
  user: "alice@example.com",
  role: "app",
  assume: [],
  noIp: false,
};
const at = (iso: string) => new Date(iso);

function entry(fetchedAt: string, expiration: string): CacheEntry {
  return {
    key,
    fetchedAt: at(fetchedAt),
    credentials: {
      accessKeyId: "ASIAXXXX",
      secretAccessKey: "secretsecret",
      sessionToken: "tokentoken",
      expiration: at(expiration),
    },
  };
}

Deno.test("an entry round-trips through its file format", () => {
  const original = entry("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z");
  assertEquals(parseEntry(serializeEntry(original)), original);
});

Deno.test("truncated, corrupt or foreign cache files read as no entry", () => {
  const text = serializeEntry(entry("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z"));
  for (
    const bad of [text.slice(0, text.length / 2), "", "null", "[]", '{"v":2}', "garbage{", '{"v":1,"key":{}}']
  ) {
    assertEquals(parseEntry(bad), undefined, bad);
  }
});

Deno.test("an entry is fresh only while more than min_remaining is left", () => {
  const e = entry("2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z");
  assert(isFresh(e, at("2026-11-28T10:39:00Z"), 1200));
  assert(!isFresh(e, at("2026-11-28T10:40:01Z"), 1200));
  assert(!isFresh(e, at("2026-11-28T11:30:00Z"), 1200));
});

Deno.test("short-lived credentials are served as they are until their last minute, not refetched in a loop", () => {
  const e = entry("2026-11-28T10:00:00Z", "2026-11-28T10:10:00Z");
  assert(isFresh(e, at("2026-11-28T10:08:59Z"), 1200));
  assert(!isFresh(e, at("2026-11-28T10:09:01Z"), 1200));
  const tiny = entry("2026-11-28T10:00:00Z", "2026-11-28T10:01:00Z");
  assert(isFresh(tiny, at("2026-11-28T10:00:29Z"), 1200));
  assert(!isFresh(tiny, at("2026-11-28T10:00:31Z"), 1200));
});

Deno.test("keys differ by URL, user, role, chain and no-ip", async () => {
  const ids = new Set([
    await keyId(key),
    await keyId({ ...key, url: "https://other.example.com" }),
    await keyId({ ...key, user: "bob@example.com" }),
    await keyId({ ...key, role: "app2" }),
    await keyId({ ...key, assume: ["arn:aws:iam::123456789012:role/x"] }),
    await keyId({ ...key, noIp: true }),
  ]);
  assertEquals(ids.size, 6);
  assert(sameKey(key, { ...key, assume: [] }));
  assert(!sameKey(key, { ...key, user: "bob@example.com" }));
});

Deno.test("the caller's identity is written once and read back as the user of cache keys", async () => {
  const config = defaults();
  let asked = 0;
  const session = () => {
    asked++;
    return Promise.resolve("alice");
  };
  assertEquals(identityOf(config), "session");
  assertEquals(await keyUser(identityOf(config), session), "alice");
  assertEquals(await keyUser("session", () => Promise.resolve(undefined)), "");
  config.challenge_settings.user = "bob";
  assertEquals(identityOf(config), "user:bob");
  assertEquals(await keyUser(identityOf(config), session), "bob");
  config.authentication_method = "mtls";
  config.mtls_settings.certs = ["a.pem", "b.pem"];
  config.mtls_settings.cert = "old.pem";
  assertEquals(identityOf(config), "mtls:a.pem,b.pem,old.pem");
  assertEquals(await keyUser(identityOf(config), session), "mtls:a.pem,b.pem,old.pem");
  assertEquals(asked, 1, "the stored logins are read only for a session identity");
});

Deno.test("cacheKey copies the assume chain, so a later change to the query cannot alter a stored key", () => {
  const assumeRoles = ["arn:aws:iam::123456789012:role/next"];
  const made = cacheKey("https://cm", "alice", { role: "r", assumeRoles, noIp: true });
  assumeRoles.push("arn:aws:iam::123456789012:role/later");
  assertEquals(made, {
    url: "https://cm",
    user: "alice",
    role: "r",
    assume: ["arn:aws:iam::123456789012:role/next"],
    noIp: true,
  });
});
