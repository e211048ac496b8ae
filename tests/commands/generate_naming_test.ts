/**
 * `weep generate --name`, `--profile-region` (and their config keys), and the warning for configs large enough
 * to slow AWS tools, through the command tree (in this process) against the test ConsoleMe.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runInProcess } from "../support/in_process.ts";
import { type ConsoleMeServer, startConsoleMe, syntheticRoles } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { SLOW_PROFILES } from "../../src/aws/config_cost.ts";

const CMD = "/opt/weep/bin/weep";
const APP = "arn:aws:iam::012345678901:role/app_role";
const DEPLOYER = "arn:aws:iam::012345678902:role/team/deployer";
const ORPHAN = "arn:aws:iam::111122223333:role/orphan_reader";
const ROLES = [APP, DEPLOYER, ORPHAN];

function block(cm: ConsoleMeServer, arn: string, name: string, ...extra: string[]): string[] {
  return [
    `[profile ${name}]`,
    `# managed by weep: consoleme=${cm.url} role=${arn}`,
    `credential_process = ${CMD} credential_process ${arn}`,
    ...extra,
  ];
}
const text = (lines: string[]) => lines.map((line) => `${line}\n`).join("");
const lastLine = (stderr: string) => stderr.trimEnd().split("\n").at(-1) ?? "";

async function setUp(yaml = "", roles: readonly string[] = ROLES) {
  const cm = await startConsoleMe({ autoApprove: true, roles: [...roles] });
  const home = await loggedInHome(cm, yaml);
  return {
    cm,
    home,
    path: `${home.aws}/config`,
    generate: (...flags: string[]) => runInProcess(home.home, ["generate", "--command", CMD, ...flags]),
    async [Symbol.asyncDispose]() {
      await cm.close();
      await home[Symbol.asyncDispose]();
    },
  };
}

Deno.test("generate --name fills each field in; --pretty writes what --name '{account}-{role}' writes", async () => {
  await using t = await setUp();
  const { cm } = t;
  const named = await t.generate("--name", "{account_id}.{role_name}");
  assertEquals([named.code, named.stdout], [0, ""], named.stderr);
  assertEquals(
    await Deno.readTextFile(t.path),
    text([
      ...block(cm, APP, "012345678901.app-role"),
      "",
      ...block(cm, DEPLOYER, "012345678902.deployer"),
      "",
      ...block(cm, ORPHAN, "111122223333.orphan-reader"),
    ]),
  );
  // A new template renames weep's profiles in place; --pretty and its template name them alike.
  const pretty = await t.generate("--pretty");
  assertEquals(pretty.code, 0, pretty.stderr);
  assertStringIncludes(lastLine(pretty.stderr), "renamed 3");
  const prettyText = await Deno.readTextFile(t.path);
  assertEquals(
    prettyText,
    text([
      ...block(cm, APP, "consoleme-oss-1-app-role"),
      "",
      ...block(cm, DEPLOYER, "consoleme-oss-2-team/deployer"),
      "",
      ...block(cm, ORPHAN, "111122223333-orphan-reader"),
    ]),
  );
  const same = await t.generate("--name", "{account}-{role}");
  assertStringIncludes(lastLine(same.stderr), "renamed 0, removed 0, unchanged 3");
  assertEquals(await Deno.readTextFile(t.path), prettyText);
  const paths = await t.generate("--name", "{role_path}{arn}");
  assertEquals(paths.code, 0, paths.stderr);
  assertStringIncludes(await Deno.readTextFile(t.path), `[profile team${DEPLOYER}]`);
});

Deno.test("generate.name in weep.yaml is the team's default; --name and --pretty override it", async () => {
  await using t = await setUp("generate:\n  name: 'team-{role_name}'\n");
  const { cm } = t;
  const result = await t.generate("--include", "*deployer");
  assertEquals(result.code, 0, result.stderr);
  assertEquals(await Deno.readTextFile(t.path), text(block(cm, DEPLOYER, "team-deployer")));
  const byArn = await t.generate("--include", "*deployer", "--name", "{arn}");
  assertStringIncludes(lastLine(byArn.stderr), "renamed 1");
  assertEquals(await Deno.readTextFile(t.path), text(block(cm, DEPLOYER, DEPLOYER)));
  await t.generate("--include", "*deployer", "--pretty");
  assertEquals(await Deno.readTextFile(t.path), text(block(cm, DEPLOYER, "consoleme-oss-2-team/deployer")));
});

Deno.test("names a template makes collide as names always did: each gets its account id", async () => {
  await using t = await setUp("", [
    "arn:aws:iam::012345678901:role/team/admin",
    "arn:aws:iam::012345678902:role/other/admin",
  ]);
  const result = await t.generate("--name", "{role_name}");
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stderr, "share a profile name; each gets its account id appended");
  const written = await Deno.readTextFile(t.path);
  assertStringIncludes(written, "[profile admin-012345678901]");
  assertStringIncludes(written, "[profile admin-012345678902]");
});

Deno.test("a bad --name is a usage error and a bad generate.name a config error; nothing is written or asked", async () => {
  await using t = await setUp();
  const flags: [string[], string][] = [
    [
      ["--name", "{acount}-{role}"],
      'Invalid --name "{acount}-{role}": "{acount}" is not a field; use {account}',
    ],
    [["--name", "{account}"], 'Invalid --name "{account}": it names no role'],
    [["--name", "my {role}"], 'Invalid --name "my {role}": it makes names like "my sample"'],
    [["--name", "{role"], 'Invalid --name "{role": "{" does not open or close a field'],
    [["--name", "\x1b[2J{role}"], 'Invalid --name "\\u001b[2J{role}": it holds a control character'],
    [["--pretty", "--name", "{role}"], "--pretty is --name '{account}-{role}': give one of them, not both"],
    [["--profile-region", "Europe"], 'Invalid --profile-region "Europe": it is no AWS region name'],
  ];
  for (const [args, message] of flags) {
    const result = await t.generate(...args);
    assertEquals([result.code, result.stdout], [2, ""], args.join(" "));
    assertStringIncludes(result.stderr, message);
  }
  const yaml = `${t.home.weep}/bad.yaml`;
  await Deno.writeTextFile(
    yaml,
    `consoleme_url: ${t.cm.url}\nchallenge_settings:\n  user: ${t.cm.settings.user}\ngenerate:\n  name: '{role'\n`,
  );
  const config = await runInProcess(t.home.home, ["-c", yaml, "generate"]);
  assertEquals([config.code, config.stdout], [1, ""]);
  assertStringIncludes(
    config.stderr,
    `Invalid config in "${yaml}": key "generate.name" is "{role", but "{" does not open or close a field`,
  );
  const env = await runInProcess(t.home.home, ["generate"], {
    env: { WEEP_GENERATE_PROFILE_REGION: "mars-1" },
  });
  assertEquals(env.code, 1);
  assertStringIncludes(
    env.stderr,
    'Invalid config in environment variable WEEP_GENERATE_PROFILE_REGION: key "generate.profile_region" is ' +
      '"mars-1", but it is no AWS region name',
  );
  assertEquals(await Deno.readTextFile(t.path).catch(() => undefined), undefined);
  assertEquals(t.cm.count("/api/v2/get_roles"), 0);
});

Deno.test("--profile-region writes region into profiles weep adds and never replaces a region already there", async () => {
  await using t = await setUp("generate:\n  profile_region: eu-west-1\n");
  const { cm } = t;
  await Deno.writeTextFile(
    t.path,
    text([
      ...block(cm, APP, APP, "region = ap-south-1"),
      ...block(cm, DEPLOYER, DEPLOYER),
    ]),
  );
  const result = await t.generate("--profile-region", "us-gov-west-1");
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(lastLine(result.stderr), "added 1, updated 0, renamed 0, removed 0, unchanged 2");
  const expected = text([
    ...block(cm, APP, APP, "region = ap-south-1"),
    ...block(cm, DEPLOYER, DEPLOYER),
    "",
    ...block(cm, ORPHAN, ORPHAN, "region = us-gov-west-1"),
  ]);
  assertEquals(await Deno.readTextFile(t.path), expected);
  // The config key is the default; the profiles' regions stay as they are, whatever it says.
  await Deno.writeTextFile(t.path, text(["[profile mine]", "region = sa-east-1"]));
  const keyed = await t.generate("--include", "*deployer");
  assertEquals(keyed.code, 0, keyed.stderr);
  assertEquals(
    await Deno.readTextFile(t.path),
    text([
      "[profile mine]",
      "region = sa-east-1",
      "",
      ...block(cm, DEPLOYER, DEPLOYER, "region = eu-west-1"),
    ]),
  );
});

Deno.test(`generate warns from ${SLOW_PROFILES} profiles in the resulting config on, counting every profile in it`, async () => {
  const roles = syntheticRoles(SLOW_PROFILES - 1).map((role) => role.arn);
  await using t = await setUp("", roles);
  const quiet = await t.generate();
  assertEquals(quiet.code, 0, quiet.stderr);
  assert(!quiet.stderr.includes("AWS tools read them all"), "one profile short: no warning");
  await Deno.writeTextFile(t.path, "[profile mine]\nregion = eu-west-1\n" + await Deno.readTextFile(t.path));
  const warned = await t.generate();
  assertEquals(warned.code, 0, warned.stderr);
  assertStringIncludes(
    warned.stderr,
    `warning: "${t.path}" has ${
      SLOW_PROFILES.toLocaleString("en")
    } profiles, and AWS tools read them all when ` +
      "they start: each AWS CLI command starts about ",
  );
  assertStringIncludes(
    warned.stderr,
    "write profiles only for the roles you use with weep generate --used --prune, or choose them with " +
      "--include/--exclude and --prune\n",
  );
});
