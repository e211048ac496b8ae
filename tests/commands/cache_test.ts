import { clearCache } from "../../src/commands/cache.ts";
import { cacheKey } from "../../src/cache/entry.ts";
import { listEntries, writeEntry } from "../../src/cache/store.ts";
import { assertEquals } from "../support/assert.ts";
import { tempHome } from "../support/cli.ts";

const ARN = "arn:aws:iam::012345678901:role/app";

Deno.test("clearCache removes a role's entries, as asked or as resolved, and with no role everything", async () => {
  await using home = await tempHome();
  const dirs = { cacheDir: `${home.weep}/cache`, locksDir: `${home.weep}/locks` };
  const credentials = {
    accessKeyId: "AKIACACHE",
    secretAccessKey: "s",
    sessionToken: "t",
    expiration: new Date("2030-01-01T00:00:00Z"),
  };
  const store = async (role: string, assumeRoles: string[], roleArn?: string) =>
    await writeEntry(dirs, {
      key: cacheKey("https://cm", "alice", { role, assumeRoles, noIp: false }),
      credentials: roleArn ? { ...credentials, roleArn } : credentials,
      fetchedAt: new Date("2029-12-31T23:00:00Z"),
    });
  await store("app", [], ARN);
  await store("app", ["arn:aws:iam::012345678901:role/next"]);
  await store("other", [], "arn:aws:iam::012345678901:role/other");
  await store("search string", [], ARN);
  await Deno.mkdir(`${dirs.cacheDir}/config`, { recursive: true });
  await Deno.writeTextFile(`${dirs.cacheDir}/config/snapshot.json`, "{}");
  const roles = async () => (await listEntries(dirs)).map(({ entry }) => entry.key.role).sort();

  assertEquals(await clearCache(dirs, "app"), 2);
  assertEquals(await roles(), ["other", "search string"]);
  assertEquals(await clearCache(dirs, ARN), 1, "the role ConsoleMe resolved a search string to");
  assertEquals(await roles(), ["other"]);
  assertEquals(await clearCache(dirs, "nothing"), 0);
  assertEquals(await clearCache(dirs, undefined), 1);
  assertEquals(await roles(), []);
  assertEquals(await Deno.stat(`${dirs.cacheDir}/config`).then(() => true, () => false), false);
});
