/**
 * `runGenerate` called directly, with what it takes: the config loader, paths, a ConsoleMe connection (here one
 * that hands out a fixed role list), the process facts and output in memory.
 */
import { type GenerateDeps, generateDeps, runGenerate } from "../../src/app/generate.ts";
import type { ConsoleMeRole } from "../../src/consoleme/types.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { tempHome } from "../support/cli.ts";
import { appFor } from "../support/in_process.ts";

const URL = "https://cm.example.com";
const ROLES: ConsoleMeRole[] = [
  {
    arn: "arn:aws:iam::012345678901:role/app",
    accountId: "012345678901",
    accountName: "prod",
    roleName: "app",
    apps: [],
  },
  {
    arn: "arn:aws:iam::012345678902:role/team/ops",
    accountId: "012345678902",
    accountName: "Unknown",
    roleName: "team/ops",
    apps: [],
  },
];

/** generate's dependencies for `home`, with ConsoleMe replaced by `roles`; `asked` counts the connections. */
async function setUp(home: string, yaml = `consoleme_url: ${URL}\n`) {
  await Deno.writeTextFile(`${home}/.aws/weep/weep.yaml`, yaml);
  const { app, stdout, stderr } = appFor(home);
  const counter = { asked: 0 };
  const deps: GenerateDeps = {
    ...generateDeps(app, {}),
    connect: () => {
      counter.asked++;
      return Promise.resolve({ getRoles: () => Promise.resolve(ROLES) });
    },
    process: { execPath: "/opt/weep/bin/weep", os: "linux", cwd: home },
  };
  return { deps, stdout, stderr, counter };
}

Deno.test("runGenerate writes a profile for each role ConsoleMe gives, with the global flags, and says so", async () => {
  await using home = await tempHome();
  const { deps, stdout, stderr } = await setUp(home.home);
  await runGenerate({ pretty: true }, { noIp: true, region: "eu-west-1" }, deps);
  const command = "/opt/weep/bin/weep credential_process -n -r eu-west-1";
  assertEquals(
    await Deno.readTextFile(`${home.aws}/config`),
    [
      "[profile prod-app]",
      `# managed by weep: consoleme=${URL} role=${ROLES[0]!.arn}`,
      `credential_process = ${command} ${ROLES[0]!.arn}`,
      "",
      "[profile 012345678902-team/ops]",
      `# managed by weep: consoleme=${URL} role=${ROLES[1]!.arn}`,
      `credential_process = ${command} ${ROLES[1]!.arn}`,
      "",
    ].join("\n"),
  );
  assertEquals(stdout(), "");
  assertEquals(
    stderr().trimEnd().split("\n").at(-1),
    `info: added 2, updated 0, renamed 0, removed 0, unchanged 0, skipped 0 → ${home.aws}/config`,
  );
});

Deno.test("runGenerate --dry-run prints the diff on stdout and creates nothing", async () => {
  await using home = await tempHome();
  const { deps, stdout, stderr } = await setUp(home.home);
  await runGenerate({ dryRun: true, include: ["prod"] }, {}, deps);
  assertEquals(await Deno.stat(`${home.aws}/config`).then(() => true, () => false), false);
  assertStringIncludes(stdout(), `+[profile ${ROLES[0]!.arn}]\n`);
  assertEquals(stdout().includes(ROLES[1]!.arn), false);
  assertStringIncludes(stderr(), "(dry run, nothing written)");
});

Deno.test("runGenerate refuses a file AWS tools reject, and a bad --name, before asking ConsoleMe", async () => {
  await using home = await tempHome();
  const { deps, counter } = await setUp(home.home);
  const broken = "[profile a]\nregion = x\n[profile a]\n";
  await Deno.writeTextFile(`${home.aws}/config`, broken);
  await assertRejects(() => runGenerate({}, {}, deps), `Refusing to edit "${home.aws}/config"`);
  await assertRejects(() => runGenerate({ name: "{account}" }, {}, deps), "Invalid --name");
  await assertRejects(() => runGenerate({ pretty: true, name: "{role}" }, {}, deps), "--pretty");
  assertEquals(counter.asked, 0);
  assertEquals(await Deno.readTextFile(`${home.aws}/config`), broken);
});

Deno.test("runGenerate without consoleme_url says where to set it, and asks nobody", async () => {
  await using home = await tempHome();
  const { deps, counter } = await setUp(home.home, "aws:\n  region: eu-west-1\n");
  const error = await assertRejects(() => runGenerate({}, {}, deps), "consoleme_url is not set");
  assert("hints" in error);
  assertEquals(counter.asked, 0);
});
