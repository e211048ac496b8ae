/**
 * What `weep generate` writes, read by the real AWS clients: AWS CLI v2 and v1, botocore and the JavaScript
 * SDK's loader see the user's profiles with their values unchanged plus every generated profile, and AWS CLI v2
 * resolves credentials through a generated profile by running an installed weep against the test ConsoleMe.
 * A missing client skips its test with a reason, unless `WEEP_REQUIRE_INTEROP=1`.
 */
import { installWeep } from "../../scripts/install.ts";
import { memoryOutput } from "../../src/platform/output.ts";
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { jsSdkRead } from "../support/aws_readers.ts";
import { DENO_DIR, runWeep, type TempHome } from "../support/cli.ts";
import { type ConsoleMeServer, PATH_ROLE_ARN, startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { requireTool } from "../support/tools.ts";
import { ROOT } from "../../scripts/weep_command.ts";
import { listUsage } from "../../src/usage/log.ts";
import { nameProfiles } from "../../src/aws/profiles.ts";
import { parseTemplate, type ProfileTemplate } from "../../src/aws/profile_template.ts";
import type { RoleJson } from "../../src/commands/list.ts";

/** The start of the marker of every profile weep writes (the ConsoleMe's URL and the role follow). */
const MARKER = "# managed by weep: consoleme=";

/** The user's config: every construct botocore accepts, CRLF line endings, no final newline. */
const HAND_KEPT = [
  "# ~/.aws/config, kept by hand",
  "; work accounts below",
  "",
  "[default]",
  "region = us-east-1",
  "output=json",
  "s3 =",
  "    max_concurrent_requests = 20",
  "    # tuned for the VPN",
  "    addressing_style = path",
  "  # an indented comment",
  "",
  "[profile dev]   ",
  "region\t=\teu-west-1",
  "account = 012345678901",
  "",
  "[sso-session corp]",
  "sso_start_url = https://corp.awsapps.com/start",
  "sso_region = us-east-1",
  "",
  "[profile corp-admin]",
  "sso_session = corp",
  "sso_account_id = 012345678901",
  "sso_role_name = AdministratorAccess",
  "",
  "[services local]",
  "s3 =",
  "  endpoint_url = http://localhost:4566",
  "dynamodb =",
  "\tendpoint_url = http://localhost:8000",
  "",
  "[profile local]",
  "services = local",
  "region = us-west-2",
  "",
  // AWS CLI v1 imports every [plugins] value as a Python module, so this one holds only a comment.
  "[plugins]",
  "# none yet",
  "",
  "[my-tool]",
  "setting = 1",
  "",
  "[profile unicode]",
  "note = \u00fcn\u00efcode \u2713 value#hash a=b",
  "## ---- end ----",
].join("\r\n");

/** The user's profiles with their values as botocore reads them (nested blocks as dictionaries). */
const USER_PROFILES: Record<string, Record<string, unknown>> = {
  default: {
    region: "us-east-1",
    output: "json",
    s3: { max_concurrent_requests: "20", addressing_style: "path" },
  },
  dev: { region: "eu-west-1", account: "012345678901" },
  "corp-admin": { sso_session: "corp", sso_account_id: "012345678901", sso_role_name: "AdministratorAccess" },
  local: { services: "local", region: "us-west-2" },
  unicode: { note: "\u00fcn\u00efcode \u2713 value#hash a=b" },
};

const CREDENTIALS = "[static]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = not-a-secret\n";

/** A home whose `~/.aws/config` holds the user's profiles plus what `weep generate --command COMMAND` wrote. */
interface Generated extends AsyncDisposable {
  cm: ConsoleMeServer;
  home: TempHome;
  config: string;
  /** Generated profile name -> its `credential_process` value. */
  profiles: Record<string, string>;
}

async function generated(command: (home: TempHome) => Promise<string> | string): Promise<Generated> {
  const cm = await startConsoleMe({ autoApprove: true });
  let home: TempHome | undefined;
  const dispose = async () => {
    await home?.[Symbol.asyncDispose]();
    await cm.close();
  };
  try {
    home = await loggedInHome(cm);
    const config = `${home.aws}/config`;
    await Deno.writeTextFile(config, HAND_KEPT);
    await Deno.writeTextFile(`${home.aws}/credentials`, CREDENTIALS);
    const exe = await command(home);
    const result = await runWeep(home.home, ["generate", "--command", exe]);
    assertEquals([result.code, result.stdout], [0, ""], result.stderr);
    const profiles = Object.fromEntries(
      cm.roles().map((role) => [role.arn, `${exe} credential_process ${role.arn}`]),
    );
    const text = await Deno.readTextFile(config);
    // The user's bytes, their last line ended, then a blank line before the first profile.
    assert(text.startsWith(HAND_KEPT + "\r\n\r\n[profile "), "the user's part of the file changed");
    for (const role of cm.roles()) assertStringIncludes(text, `\r\n${MARKER}${cm.url} role=${role.arn}\r\n`);
    return { cm, home, config, profiles, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The environment an AWS client gets: the temp home and nothing of ours (no CA bundle, no AWS settings). */
function clientEnv(home: TempHome): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home.home,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    AWS_PAGER: "",
    AWS_EC2_METADATA_DISABLED: "true",
  };
  // pyenv's shims (AWS CLI v1, python3) find their Python through it.
  const pyenv = Deno.env.get("PYENV_ROOT");
  if (pyenv !== undefined) env.PYENV_ROOT = pyenv;
  return env;
}

async function run(command: string, args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(command, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("aws configure list-profiles (AWS CLI v2) lists the user's profiles and every generated one", async () => {
  const aws = await requireTool("AWS CLI v2");
  if (!aws) return;
  await using setup = await generated(() => "/opt/weep/bin/weep");
  const result = await run(aws, ["configure", "list-profiles"], clientEnv(setup.home));
  assertEquals(result.code, 0, result.stderr);
  assertEquals(
    result.stdout.split(/\r?\n/).filter((line) => line !== "").sort(),
    [...Object.keys(USER_PROFILES), ...Object.keys(setup.profiles), "static"].sort(),
  );
});

const BOTOCORE = `
import json, botocore.session
session = botocore.session.Session()
print(json.dumps({"available": session.available_profiles, "full": session.full_config}))
`;

Deno.test("botocore reads the user's profiles and sections with their values, plus every generated profile", async () => {
  const python = await requireTool("python3 with botocore");
  if (!python) return;
  await using setup = await generated(() => "/opt/weep/bin/weep");
  const result = await run(python, ["-c", BOTOCORE], clientEnv(setup.home));
  assertEquals(result.code, 0, result.stderr);
  const { available, full } = JSON.parse(result.stdout);
  assertEquals(
    [...available].sort(),
    [...Object.keys(USER_PROFILES), ...Object.keys(setup.profiles), "static"].sort(),
  );
  const generatedProfiles = Object.fromEntries(
    Object.entries(setup.profiles).map(([name, command]) => [name, { credential_process: command }]),
  );
  const stat = { aws_access_key_id: "AKIASTATIC", aws_secret_access_key: "not-a-secret" };
  assertEquals(full.profiles, { ...USER_PROFILES, ...generatedProfiles, static: stat });
  assertEquals(full.sso_sessions, {
    corp: { sso_start_url: "https://corp.awsapps.com/start", sso_region: "us-east-1" },
  });
  assertEquals(full.services, {
    local: {
      s3: { endpoint_url: "http://localhost:4566" },
      dynamodb: { endpoint_url: "http://localhost:8000" },
    },
  });
});

Deno.test("AWS CLI v1 reads the user's values and the generated credential_process lines", async () => {
  const aws = await requireTool("AWS CLI v1");
  if (!aws) return;
  await using setup = await generated(() => "/opt/weep/bin/weep");
  const names = Object.keys(setup.profiles);
  const checks: [string, string, string][] = [
    ["default", "output", "json"],
    ["dev", "account", "012345678901"],
    ["corp-admin", "sso_role_name", "AdministratorAccess"],
    ["local", "region", "us-west-2"],
    ["unicode", "note", "\u00fcn\u00efcode \u2713 value#hash a=b"],
    ...[names[0]!, names.at(-1)!, PATH_ROLE_ARN].map((name): [string, string, string] => [
      name,
      "credential_process",
      setup.profiles[name]!,
    ]),
  ];
  const env = clientEnv(setup.home);
  const results = await Promise.all(
    checks.map(([profile, key]) => run(aws, ["configure", "get", key, "--profile", profile], env)),
  );
  assertEquals(
    results.map((r) => [r.code, r.stdout.trimEnd()]),
    checks.map(([, , value]) => [0, value]),
  );
});

Deno.test("the JavaScript SDK's loader reads the user's profiles and every generated profile", async () => {
  await using setup = await generated(() => "/opt/weep/bin/weep");
  const { configFile, credentialsFile } = await jsSdkRead(setup.config, `${setup.home.aws}/credentials`);
  for (const [name, keys] of Object.entries(USER_PROFILES)) {
    for (const [key, value] of Object.entries(keys)) {
      if (typeof value === "string") assertEquals(configFile[name]?.[key], value, `${name}.${key}`);
    }
  }
  for (const [name, command] of Object.entries(setup.profiles)) {
    assertEquals(configFile[name], { credential_process: command }, name);
  }
  assertEquals(credentialsFile.static?.aws_access_key_id, "AKIASTATIC");
});

Deno.test("aws configure export-credentials (AWS CLI v2) gets credentials through a generated profile and an installed weep", async () => {
  const aws = await requireTool("AWS CLI v2");
  if (!aws) return;
  let shim = "";
  await using setup = await generated(async (home) => {
    const { output } = memoryOutput();
    const record = await installWeep({ shim: true, help: false }, {
      root: ROOT,
      run: () => Promise.reject(new Error("a shim install runs nothing")),
      output,
      env: (name) =>
        ({ HOME: home.home, DENO_INSTALL_ROOT: `${home.home}/deno-root`, PATH: "/usr/bin:/bin" })[name],
      os: Deno.build.os,
      now: () => new Date(),
    });
    shim = record.path;
    return shim;
  });
  assert(shim.startsWith("/"), `the shim path is not absolute: ${shim}`);
  assertEquals(setup.profiles[PATH_ROLE_ARN], `${shim} credential_process ${PATH_ROLE_ARN}`);

  // The shim runs deno with the temp home: it needs the shared module cache, and nothing else of ours.
  const env = { ...clientEnv(setup.home), DENO_DIR };
  const result = await run(aws, ["configure", "export-credentials", "--profile", PATH_ROLE_ARN], env);
  assertEquals(result.code, 0, result.stderr);
  const exported = JSON.parse(result.stdout);
  const minted = setup.cm.minted.at(-1);
  assertEquals(setup.cm.count("/api/v1/get_credentials"), 1);
  assertEquals(minted?.roleArn, PATH_ROLE_ARN);
  assertEquals(exported.Version, 1);
  assert(
    exported.AccessKeyId === minted?.accessKeyId,
    "AWS CLI v2 did not get the keys ConsoleMe handed out",
  );
  assert(typeof exported.SecretAccessKey === "string" && exported.SecretAccessKey !== "", "no secret key");
  assert(typeof exported.SessionToken === "string" && exported.SessionToken !== "", "no session token");
  // The run through the AWS CLI is a use of the role, for generate --used.
  const used = await listUsage(`${setup.home.weep}/usage`, new Date());
  assertEquals(used.map((r) => [r.origin, r.role, r.count]), [[setup.cm.url, PATH_ROLE_ARN, 1]]);
});

const BOTOCORE_PROFILES = `
import json, botocore.session
print(json.dumps(botocore.session.Session().full_config["profiles"]))
`;

Deno.test("botocore reads the names a --name template makes and the region --profile-region writes", async () => {
  const python = await requireTool("python3 with botocore");
  if (!python) return;
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  const exe = "/opt/weep/bin/weep";
  const flags = ["--name", "{account}.{role_name}", "--profile-region", "eu-central-1"];
  const result = await runWeep(home.home, ["generate", "--command", exe, ...flags]);
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  const listed = JSON.parse((await runWeep(home.home, ["list", "--json"])).stdout) as RoleJson[];
  const roles = listed.map((role) => ({
    arn: role.arn,
    accountId: role.account_id,
    accountName: role.account_name,
    roleName: role.role_name,
    apps: [],
  }));
  const naming = nameProfiles(roles, { template: parseTemplate("{account}.{role_name}") as ProfileTemplate });
  const expected = Object.fromEntries(
    naming.profiles.map(({ name, role }) => [
      name,
      { credential_process: `${exe} credential_process ${role.arn}`, region: "eu-central-1" },
    ]),
  );
  assert(
    Object.keys(expected).some((name) => name.startsWith("consoleme-oss-1.")),
    "names from the template",
  );
  const read = await run(python, ["-c", BOTOCORE_PROFILES], clientEnv(home));
  assertEquals(read.code, 0, read.stderr);
  assertEquals(JSON.parse(read.stdout), expected);
});
