import type { AccountRole } from "../../src/aws/arn.ts";
import { type GenerateInput, generateProfiles, summary } from "../../src/aws/generate_file.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";

const ORIGIN = "https://cm.example.com";
const APP: AccountRole = {
  arn: "arn:aws:iam::012345678901:role/app",
  accountId: "012345678901",
  accountName: "prod",
  roleName: "app",
};
const OPS: AccountRole = { ...APP, arn: "arn:aws:iam::012345678901:role/ops", roleName: "ops" };

async function tempDir(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "weep-generate-file-" });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function input(dir: string, extra: Partial<GenerateInput> = {}): GenerateInput {
  return {
    path: `${dir}/config`,
    credentialsPath: `${dir}/credentials`,
    config: { config: undefined, extraConfigFile: undefined },
    origin: ORIGIN,
    template: undefined,
    command: "weep",
    flags: [],
    include: [],
    exclude: [],
    prune: false,
    force: false,
    dryRun: false,
    ...extra,
  };
}

const block = (role: AccountRole) =>
  `[profile ${role.arn}]\n# managed by weep: consoleme=${ORIGIN} role=${role.arn}\n` +
  `credential_process = weep credential_process ${role.arn}\n`;

Deno.test("generateProfiles appends weep's profiles after the user's bytes, then prunes the roles that are gone", async () => {
  await using t = await tempDir();
  const user = "# mine\r\n[profile dev]\r\nregion = eu-west-1";
  await Deno.writeTextFile(`${t.dir}/config`, user);
  const first = await generateProfiles([APP, OPS], input(t.dir), `${t.dir}/locks`);
  // The user's line ends (CRLF) and their missing final newline are kept; a blank line before each profile.
  const crlf = (text: string) => text.replaceAll("\n", "\r\n").slice(0, -2);
  const written = user + "\r\n" + crlf("\n" + block(APP) + "\n" + block(OPS));
  assertEquals(await Deno.readTextFile(`${t.dir}/config`), written);
  assertEquals(first.plan.added, [APP.arn, OPS.arn]);
  assertEquals(first.diff, "");
  const pruned = await generateProfiles([APP], input(t.dir, { prune: true }), `${t.dir}/locks`);
  assertEquals(pruned.plan.removed, [OPS.arn]);
  assertEquals(
    summary(pruned.plan, "c", false),
    "added 0, updated 0, renamed 0, removed 1, unchanged 1, skipped 0 → c",
  );
  assertEquals(
    await Deno.readTextFile(`${t.dir}/config`),
    user + "\r\n" + crlf("\n" + block(APP)),
  );
});

Deno.test("generateProfiles dry run: the diff of the change, and the file as it was", async () => {
  await using t = await tempDir();
  const result = await generateProfiles([APP], input(t.dir, { dryRun: true }), `${t.dir}/locks`);
  assertStringIncludes(result.diff, `+[profile ${APP.arn}]\n`);
  assertEquals(await Deno.stat(`${t.dir}/config`).then(() => true, () => false), false);
});

Deno.test("generateProfiles warns of credentials that shadow a profile, and refuses an empty --prune", async () => {
  await using t = await tempDir();
  await Deno.writeTextFile(`${t.dir}/credentials`, `[${APP.arn}]\naws_access_key_id = AKIA\n`);
  const result = await generateProfiles([APP], input(t.dir), `${t.dir}/locks`);
  assertEquals(result.warnings.filter((warning) => warning.includes(`${t.dir}/credentials`)).length, 1);
  const before = await Deno.readTextFile(`${t.dir}/config`);
  await assertRejects(
    () => generateProfiles([], input(t.dir, { prune: true }), `${t.dir}/locks`),
    "refusing to --prune",
  );
  assertEquals(await Deno.readTextFile(`${t.dir}/config`), before);
});
