import { assert, assertEquals } from "../support/assert.ts";
import { USE_RECORD_INTERVAL_MS, useRecordDue, useRecordPath } from "../../src/cache/fast_path.ts";
import { listUsage, parseUsage, recordUse, serializeUsage, type UsageRecord } from "../../src/usage/log.ts";

const ORIGIN = "https://consoleme.example.com";
const ROLE = "arn:aws:iam::123456789012:role/app";
const T0 = new Date("2026-11-01T10:00:00Z");
const hours = (n: number) => new Date(T0.getTime() + n * USE_RECORD_INTERVAL_MS);

async function usageDir(): Promise<{ dir: string } & AsyncDisposable> {
  const root = await Deno.makeTempDir({ prefix: "weep-usage-" });
  return { dir: `${root}/usage`, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

async function readRecord(dir: string, role = ROLE): Promise<UsageRecord | undefined> {
  return parseUsage(await Deno.readTextFile(await useRecordPath(dir, ORIGIN, role)).catch(() => undefined));
}

Deno.test("a usage record is one line of JSON with origin, role, first and last use and count; never more", () => {
  const record = { origin: ORIGIN, role: ROLE, first: T0, last: hours(5), count: 3 };
  const text = serializeUsage(record);
  assertEquals(
    text,
    `{"v":1,"consoleme":"${ORIGIN}","role":"${ROLE}","first":"2026-11-01T10:00:00Z",` +
      `"last":"2026-11-01T15:00:00Z","count":3}\n`,
  );
  assertEquals(parseUsage(text), record);
});

Deno.test("anything but a record weep wrote parses as no record", () => {
  const good = JSON.parse(serializeUsage({ origin: ORIGIN, role: ROLE, first: T0, last: T0, count: 1 }));
  for (
    const bad of [
      undefined,
      "",
      "{",
      "null",
      "[]",
      JSON.stringify({ ...good, v: 2 }),
      JSON.stringify({ ...good, consoleme: "" }),
      JSON.stringify({ ...good, role: 7 }),
      JSON.stringify({ ...good, count: 0 }),
      JSON.stringify({ ...good, count: 1.5 }),
      JSON.stringify({ ...good, last: "yesterday" }),
      JSON.stringify({ ...good, pad: "x".repeat(5000) }),
    ]
  ) {
    assertEquals(parseUsage(bad), undefined, String(bad).slice(0, 40));
  }
});

Deno.test("recordUse moves the last use to now and counts the use; the first use stays", async () => {
  await using t = await usageDir();
  await recordUse(t.dir, `${ORIGIN}/`, ROLE, T0);
  assertEquals(await readRecord(t.dir), { origin: ORIGIN, role: ROLE, first: T0, last: T0, count: 1 });
  await recordUse(t.dir, ORIGIN, ROLE, hours(0.5));
  await recordUse(t.dir, ORIGIN, ROLE, hours(30));
  assertEquals(await readRecord(t.dir), { origin: ORIGIN, role: ROLE, first: T0, last: hours(30), count: 3 });
});

Deno.test("a cache hit's record is due when missing, broken, or written an hour or more before or after now", () => {
  const record = (last: Date) => serializeUsage({ origin: ORIGIN, role: ROLE, first: T0, last, count: 1 });
  assertEquals(useRecordDue(undefined, T0), true);
  for (const broken of ["", "{", '{"last":"soon"}', '{"last":"2026-11-01T10:00:00Z', "[]"]) {
    assertEquals(useRecordDue(broken, T0), true, broken);
  }
  assertEquals(useRecordDue(record(T0), hours(0.99)), false);
  assertEquals(useRecordDue(record(T0), hours(1)), true);
  assertEquals(useRecordDue(record(hours(0.5)), T0), false, "a clock set back a little");
  assertEquals(useRecordDue(record(hours(2)), T0), true, "a clock set back further");
});

Deno.test("records are 0600 in a 0700 directory, one per ConsoleMe and role, named by a hash", async () => {
  await using t = await usageDir();
  await recordUse(t.dir, ORIGIN, ROLE, T0);
  await recordUse(t.dir, "https://other.example.com", ROLE, T0);
  await recordUse(t.dir, ORIGIN, "prod_admin", T0);
  const names = (await Array.fromAsync(Deno.readDir(t.dir))).map((e) => e.name).sort();
  assertEquals(names.length, 3);
  for (const name of names) {
    assert(/^[0-9a-f]{40}\.json$/.test(name), name);
    assertEquals((await Deno.stat(`${t.dir}/${name}`)).mode! & 0o777, 0o600);
  }
  assertEquals((await Deno.stat(t.dir)).mode! & 0o777, 0o700);
});

Deno.test("recordUse replaces a link in the record's place and never writes through it", async () => {
  await using t = await usageDir();
  await Deno.mkdir(t.dir, { recursive: true });
  const target = `${t.dir}/../elsewhere.txt`;
  await Deno.writeTextFile(target, "not weep's");
  const path = await useRecordPath(t.dir, ORIGIN, ROLE);
  await Deno.symlink(target, path);
  await recordUse(t.dir, ORIGIN, ROLE, T0);
  assertEquals(await Deno.readTextFile(target), "not weep's");
  assert((await Deno.lstat(path)).isFile);
  assertEquals((await readRecord(t.dir))?.count, 1);
});

Deno.test("recordUse never throws: a usage directory that cannot be made only loses the record", async () => {
  await using t = await usageDir();
  await Deno.writeTextFile(`${t.dir}`, "a file where the directory should be");
  await recordUse(t.dir, ORIGIN, ROLE, T0);
  assertEquals(await Deno.readTextFile(t.dir), "a file where the directory should be");
});

Deno.test("listUsage reads every record, skips other files, and removes temporary files older than an hour", async () => {
  await using t = await usageDir();
  assertEquals(await listUsage(t.dir, T0), [], "no directory yet");
  await recordUse(t.dir, ORIGIN, ROLE, T0);
  await recordUse(t.dir, ORIGIN, "prod", T0);
  await Deno.writeTextFile(`${t.dir}/notes.json`, "{}");
  await Deno.writeTextFile(`${t.dir}/README`, "hello");
  const stale = `${t.dir}/x.json.1.weep-tmp`;
  const fresh = `${t.dir}/x.json.2.weep-tmp`;
  await Deno.writeTextFile(stale, "partial");
  await Deno.writeTextFile(fresh, "partial");
  const now = new Date();
  await Deno.utime(stale, hours(-2), new Date(now.getTime() - 2 * USE_RECORD_INTERVAL_MS));
  const records = await listUsage(t.dir, now);
  assertEquals(records.map((r) => r.role).sort(), [ROLE, "prod"]);
  assertEquals(await Deno.lstat(stale).then(() => true, () => false), false);
  assert(await Deno.lstat(fresh).then(() => true, () => false), "a write may still be under way");
});
