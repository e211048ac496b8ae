/**
 * `weep generate --used` and `weep list --used` end to end: the roles are used through the real CLI
 * (credential_process, export, file, console), which writes the usage log; generate and list then read it.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { type ConsoleMeServer, startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import type { TempHome } from "../support/cli.ts";
import { useRecordPath } from "../../src/cache/fast_path.ts";
import { listUsage, serializeUsage, type UsageRecord } from "../../src/usage/log.ts";

const CMD = "/opt/weep/bin/weep";
const APP = "arn:aws:iam::012345678901:role/app_role";
const DEPLOYER = "arn:aws:iam::012345678902:role/team/deployer";
const ORPHAN = "arn:aws:iam::111122223333:role/orphan_reader";
const ADMIN = "arn:aws:iam::012345678901:role/admin";
const ROLES = [APP, DEPLOYER, ORPHAN, ADMIN];
const OTHER = "https://other-consoleme.example.com";

function block(cm: ConsoleMeServer, arn: string, origin = cm.url): string[] {
  return [
    `[profile ${arn}]`,
    `# managed by weep: consoleme=${origin} role=${arn}`,
    `credential_process = ${CMD} credential_process ${arn}`,
  ];
}
const text = (lines: string[]) => lines.map((line) => `${line}\n`).join("");
const lastLine = (stderr: string) => stderr.trimEnd().split("\n").at(-1) ?? "";

async function setUp() {
  const cm = await startConsoleMe({ autoApprove: true, roles: ROLES });
  const home = await loggedInHome(cm);
  return {
    cm,
    home,
    path: `${home.aws}/config`,
    weep: (...args: string[]) => runWeep(home.home, args),
    generate: (...flags: string[]) => runWeep(home.home, ["generate", "--command", CMD, ...flags]),
    async [Symbol.asyncDispose]() {
      await cm.close();
      await home[Symbol.asyncDispose]();
    },
  };
}

/** The usage records in `home`, by role as asked. */
async function records(home: TempHome): Promise<Map<string, UsageRecord>> {
  const found = await listUsage(`${home.weep}/usage`, new Date());
  return new Map(found.map((record) => [record.role, record]));
}

/** Rewrites the record of `role` as if its last use was `days` days ago. */
async function ageRecord(home: TempHome, cm: ConsoleMeServer, role: string, days: number): Promise<void> {
  const record = (await records(home)).get(role);
  assert(record !== undefined, `no usage record for ${role}`);
  const last = new Date(Date.now() - days * 86_400_000);
  const path = await useRecordPath(`${home.weep}/usage`, cm.url, role);
  await Deno.writeTextFile(path, serializeUsage({ ...record, first: last, last }));
}

/** Moves the fetch time of every cached credential `hours` back (they stay fresh: they expire later). */
async function ageCacheEntries(home: TempHome, hours: number): Promise<void> {
  for await (const file of Deno.readDir(`${home.weep}/cache`)) {
    if (!file.isFile || !file.name.endsWith(".json")) continue;
    const path = `${home.weep}/cache/${file.name}`;
    const entry = JSON.parse(await Deno.readTextFile(path));
    const fetched = new Date(Date.parse(entry.fetchedAt) - hours * 3_600_000);
    entry.fetchedAt = fetched.toISOString().replace(/\.\d{3}Z$/, "Z");
    await Deno.writeTextFile(path, JSON.stringify(entry) + "\n");
  }
}

Deno.test("credential_process, export, file and console record the roles used; generate --used writes only those", async () => {
  await using t = await setUp();
  const { cm, home } = t;
  for (
    const args of [
      ["credential_process", APP],
      ["credential_process", APP],
      ["export", "--shell", "bash", "team/deployer"],
      ["file", "-p", "scratch", ORPHAN],
    ]
  ) {
    const result = await t.weep(...args);
    assertEquals(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
  }
  const seen = await records(home);
  assertEquals([...seen.keys()].sort(), [APP, ORPHAN, "team/deployer"]);
  for (const record of seen.values()) {
    assertEquals([record.origin, record.count], [cm.url, 1], record.role);
    assert(Date.now() - record.last.getTime() < 600_000, "last use is now");
  }
  // The search string "team/deployer" is the deployer role, as ConsoleMe resolved it.
  const result = await t.generate("--used");
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  assertStringIncludes(result.stderr, "info: Used through weep in the last 30d: 3 of your 4 roles\n");
  assertEquals(
    await Deno.readTextFile(t.path),
    text([...block(cm, APP), "", ...block(cm, DEPLOYER), "", ...block(cm, ORPHAN)]),
  );
  // console counts too: the link to a role's console is a use.
  const console = await t.weep("console", "--no-open", ADMIN);
  assertEquals(console.code, 0, console.stderr);
  assertEquals((await records(home)).get(ADMIN)?.count, 1);
});

Deno.test("generate --used keeps other profiles without --prune; with --prune only this ConsoleMe's unused ones go", async () => {
  await using t = await setUp();
  const { cm, home } = t;
  const mine = ["[profile mine]", "region = eu-west-1", ""];
  const others = block(cm, "arn:aws:iam::999999999999:role/elsewhere", OTHER);
  await Deno.writeTextFile(t.path, text(mine));
  assertEquals((await t.generate()).code, 0);
  await Deno.writeTextFile(t.path, await Deno.readTextFile(t.path) + text(others));
  const everything = await Deno.readTextFile(t.path);
  for (const role of [APP, DEPLOYER]) assertEquals((await t.weep("credential_process", role)).code, 0);

  const kept = await t.generate("--used");
  assertEquals(kept.code, 0, kept.stderr);
  assertStringIncludes(lastLine(kept.stderr), "removed 0, unchanged 2");
  assertEquals(await Deno.readTextFile(t.path), everything, "without --prune nothing is removed");

  const pruned = await t.generate("--used", "--prune");
  assertEquals(pruned.code, 0, pruned.stderr);
  assertStringIncludes(lastLine(pruned.stderr), "removed 2, unchanged 2");
  assertEquals(
    await Deno.readTextFile(t.path),
    // Each profile weep wrote comes after a blank line (the user's own last line is one too); a removed profile
    // takes its blank line along.
    text([...mine, "", ...block(cm, APP), "", ...block(cm, DEPLOYER), ...others]),
    "the hand-kept profile and the other ConsoleMe's stay",
  );
  assertEquals((await records(home)).size, 2);
});

Deno.test("generate --used leaves out a role last used before the period; list --used shows the same roles", async () => {
  await using t = await setUp();
  const { cm, home } = t;
  for (const role of [APP, DEPLOYER]) assertEquals((await t.weep("credential_process", role)).code, 0);
  await ageRecord(home, cm, DEPLOYER, 40);

  const recent = await t.generate("--used", "--dry-run");
  assertEquals(recent.code, 0, recent.stderr);
  assertStringIncludes(recent.stderr, "Used through weep in the last 30d: 1 of your 4 roles");
  assertStringIncludes(recent.stdout, `+[profile ${APP}]`);
  assert(!recent.stdout.includes(DEPLOYER), "the role used 40 days ago is left out");
  const longer = await t.generate("--used", "60d", "--dry-run");
  assertStringIncludes(longer.stderr, "Used through weep in the last 60d: 2 of your 4 roles");

  const listed = await t.weep("list", "--used", "-s");
  assertEquals([listed.code, listed.stdout], [0, `${APP}\n`], listed.stderr);
  const json = await t.weep("list", "--used=60d", "--json");
  const rows = JSON.parse(json.stdout) as { arn: string; last_used: string; uses: number }[];
  assertEquals(rows.map((row) => [row.arn, row.uses]), [[APP, 1], [DEPLOYER, 1]]);
  assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(rows[0]!.last_used), rows[0]!.last_used);
  const table = await t.weep("list", "--used");
  assertEquals(table.stdout.split("\n")[0]!.trim().split(/\s{2,}/), [
    "ACCOUNT NAME",
    "ROLE NAME",
    "ROLE ARN",
    "LAST USED (UTC)",
    "USES",
  ]);
  const none = await t.weep("list", "--used", "1h", "orphan");
  assertEquals([none.code, none.stdout], [0, ""]);
  assertStringIncludes(none.stderr, 'No role used through weep in the last 1h matches "orphan"');
});

Deno.test("generate --used --prune with no use recorded refuses and changes nothing; --force prunes", async () => {
  await using t = await setUp();
  assertEquals((await t.generate()).code, 0);
  const before = await Deno.readTextFile(t.path);
  const refused = await t.generate("--used", "--prune");
  assertEquals([refused.code, refused.stdout], [1, ""]);
  assertStringIncludes(
    refused.stderr,
    "weep recorded no use of any of your 4 roles in the last 30d: refusing to --prune, which would remove " +
      "every profile weep wrote from it",
  );
  assertStringIncludes(refused.stderr, "credential_process, export, file, serve or console");
  assertEquals(await Deno.readTextFile(t.path), before);
  const forced = await t.generate("--used", "--prune", "--force");
  assertEquals(forced.code, 0, forced.stderr);
  assertStringIncludes(lastLine(forced.stderr), "removed 4");
  assertEquals(await Deno.readTextFile(t.path), "");
});

Deno.test("a cache hit writes the role's use only when its credentials and its record are an hour old", async () => {
  await using t = await setUp();
  const { cm, home } = t;
  for (let i = 0; i < 3; i++) assertEquals((await t.weep("credential_process", APP)).code, 0);
  assertEquals(cm.count("/api/v1/get_credentials", "POST"), 1, "one miss, then hits");
  assertEquals(
    (await records(home)).get(APP)?.count,
    1,
    "the fetch wrote the use; hits in its hour add nothing",
  );
  await ageRecord(home, cm, APP, 2 / 24);
  assertEquals((await t.weep("credential_process", APP)).code, 0);
  assertEquals(
    (await records(home)).get(APP)?.count,
    1,
    "credentials fetched within the hour: nothing to add",
  );
  await ageCacheEntries(home, 2);
  for (let i = 0; i < 2; i++) assertEquals((await t.weep("credential_process", APP)).code, 0);
  assertEquals(cm.count("/api/v1/get_credentials", "POST"), 1, "still hits");
  const record = (await records(home)).get(APP)!;
  assertEquals(record.count, 2, "the first of those hits wrote the use, the second found it fresh");
  assert(Date.now() - record.last.getTime() < 600_000, "the hit wrote its use");
});

Deno.test("--used with a period that is not one is a usage error, before ConsoleMe is asked", async () => {
  await using t = await setUp();
  for (const args of [["generate", "--used", "30days"], ["list", "--used", "soon"]]) {
    const result = await t.weep(...args);
    assertEquals([result.code, result.stdout], [2, ""], args.join(" "));
    assertStringIncludes(result.stderr, `expected a length such as 30d, 2w or 12h`);
  }
  assertEquals(t.cm.count("/api/v2/get_roles"), 0);
});

Deno.test("a usage log weep cannot use never fails credential_process; --used says what is wrong", async () => {
  await using t = await setUp();
  await Deno.writeTextFile(`${t.home.weep}/usage`, "not a directory");
  const fetched = await t.weep("credential_process", APP);
  assertEquals(fetched.code, 0, fetched.stderr);
  assertStringIncludes(fetched.stdout, '"AccessKeyId"');
  const used = await t.generate("--used");
  assertEquals([used.code, used.stdout], [1, ""]);
  assertStringIncludes(used.stderr, `Cannot read weep's usage log in "${t.home.weep}/usage"`);
  assertEquals(await Deno.readTextFile(t.path).catch(() => undefined), undefined);
});
