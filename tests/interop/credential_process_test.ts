import { ROOT } from "../../scripts/weep_command.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { assertNoSecrets } from "../support/cli.ts";
import { type ConsoleMeServer, startConsoleMe } from "../support/consoleme_server.ts";
import { type MotoServer, startMoto } from "../support/moto.ts";
import { requireTool } from "../support/tools.ts";
import { interopHome, runClean, SEED_IDENTITIES } from "./interop_home.ts";

const PROFILES = Object.keys(SEED_IDENTITIES);
const AMBIGUOUS = 'Found more than one matching role for "consoleme_oss_1"';

/** Checks that every seed profile went through weep (one ConsoleMe request each) to the requested role. */
function assertMintedSeedRoles(cm: ConsoleMeServer, before: number): void {
  assertEquals(cm.minted.slice(before).map((m) => m.roleArn).sort(), [
    "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin",
    "arn:aws:iam::012345678902:role/consoleme_oss_2_test_admin",
    "arn:aws:iam::012345678903:role/test_account_user",
  ]);
}

type Stack = { moto: MotoServer; cm: ConsoleMeServer };

const AWS_CLIS = ["AWS CLI v2", "AWS CLI v1"] as const;

async function awsCliSeedProfiles(s: Stack, cli: typeof AWS_CLIS[number]): Promise<void> {
  const aws = await requireTool(cli);
  if (!aws) return;
  await using home = await interopHome(s.cm, s.moto.url);
  const before = s.cm.minted.length;
  // The profiles run side by side, as parallel `aws` commands in a script would.
  const args = (
    profile: string,
  ) => ["sts", "get-caller-identity", "--profile", profile, "--endpoint-url", s.moto.url, "--output", "json"];
  const results = await Promise.all(PROFILES.map((profile) => runClean(aws, args(profile), home.env)));
  PROFILES.forEach((profile, i) => {
    const result = results[i]!;
    assertNoSecrets(result.stderr);
    assertEquals(result.code, 0, `${profile}: ${result.stderr}`);
    assertEquals(JSON.parse(result.stdout).Arn, SEED_IDENTITIES[profile], profile);
  });
  assertMintedSeedRoles(s.cm, before);
}

async function awsCliAmbiguous(s: Stack, cli: typeof AWS_CLIS[number]): Promise<void> {
  const aws = await requireTool(cli);
  if (!aws) return;
  const before = s.cm.minted.length;
  await using home = await interopHome(s.cm, s.moto.url);
  const result = await runClean(aws, [
    "sts",
    "get-caller-identity",
    "--profile",
    "ambiguous",
    "--endpoint-url",
    s.moto.url,
  ], home.env);
  assertNoSecrets(result.stderr);
  assertEquals(result.code === 0, false, "the AWS CLI must fail");
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, AMBIGUOUS);
  assertStringIncludes(result.stderr, "arn:aws:iam::012345678901:role/consoleme_oss_1_test_user");
  assertEquals(s.cm.minted.length, before);
}

async function boto3Profiles(s: Stack): Promise<void> {
  const python = await requireTool("python3 with boto3 and moto");
  if (!python) return;
  const before = s.cm.minted.length;
  await using home = await interopHome(s.cm, s.moto.url);
  const script = `
import json, os, sys
import boto3
for profile in sys.argv[1:]:
    try:
        session = boto3.Session(profile_name=profile)
        sts = session.client("sts", endpoint_url=os.environ["AWS_ENDPOINT_URL_STS"])
        print(json.dumps({"profile": profile, "arn": sts.get_caller_identity()["Arn"]}))
    except Exception as e:
        print(json.dumps({"profile": profile, "error": str(e)}))
`;
  const result = await runClean(python, ["-c", script, ...PROFILES, "ambiguous"], home.env);
  assertNoSecrets(result.stderr);
  assertEquals(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line));
  assertEquals(lines.slice(0, 3), PROFILES.map((profile) => ({ profile, arn: SEED_IDENTITIES[profile] })));
  assertStringIncludes(lines[3].error, AMBIGUOUS);
  assertMintedSeedRoles(s.cm, before);
}

async function jsSdkProfiles(s: Stack): Promise<void> {
  const before = s.cm.minted.length;
  await using home = await interopHome(s.cm, s.moto.url);
  const result = await runClean(Deno.execPath(), [
    "run",
    "--quiet",
    "--frozen",
    "--config",
    `${ROOT}/deno.json`,
    "--allow-all",
    `${ROOT}/tests/interop/js_sdk_identity.ts`,
    ...PROFILES,
    "ambiguous",
  ], home.env);
  assertNoSecrets(result.stderr);
  assertEquals(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line));
  const expected = PROFILES.flatMap((profile) =>
    ["fromIni", "fromProcess"].map((provider) => ({ profile, provider, arn: SEED_IDENTITIES[profile] }))
  );
  assertEquals(lines.slice(0, 6), expected);
  for (const line of lines.slice(6)) assertStringIncludes(line.error, AMBIGUOUS);
  assertEquals(lines.length, 8);
  // The second provider's weep may be answered from weep's credential cache, so ConsoleMe minted each role
  // once or twice; nothing else in this environment could have supplied credentials.
  const minted = s.cm.minted.slice(before).map((m) => m.roleArn);
  assertEquals([...new Set(minted)].sort(), [
    "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin",
    "arn:aws:iam::012345678902:role/consoleme_oss_2_test_admin",
    "arn:aws:iam::012345678903:role/test_account_user",
  ]);
}

Deno.test("every AWS client resolves the seed profiles through the installed weep, against moto's STS", async (t) => {
  await using moto = await startMoto();
  if (!moto) return;
  // ConsoleMe mints through moto; logins approve themselves (each home below starts logged in anyway).
  await using cm = await startConsoleMe({ sts: moto.url, autoApprove: true });
  const s: Stack = { moto, cm };
  for (const cli of AWS_CLIS) {
    await t.step(`${cli}: each profile gets exactly its role`, () => awsCliSeedProfiles(s, cli));
    await t.step(`${cli}: an ambiguous search fails with weep's message`, () => awsCliAmbiguous(s, cli));
  }
  await t.step("boto3 Session(profile_name=...)", () => boto3Profiles(s));
  await t.step("JS SDK v3 fromIni and fromProcess", () => jsSdkProfiles(s));
});
