import { principalOf } from "../../src/aws/arn.ts";
import { formatWhoami } from "../../src/commands/whoami.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { startMoto } from "../support/moto.ts";

Deno.test("whoami output is aligned and names users and roles", () => {
  const base = { account: "123456789012", userId: "AIDAEXAMPLE", source: "the environment" };
  assertEquals(
    formatWhoami({
      ...base,
      arn: "arn:aws:iam::123456789012:root",
      principal: principalOf("arn:aws:iam::123456789012:root"),
    }),
    "User:    root (the account's root user)\nAccount: 123456789012\nARN:     arn:aws:iam::123456789012:root\n" +
      "UserId:  AIDAEXAMPLE\nSource:  the environment\n",
  );
});

Deno.test("weep whoami resolves a weep credential_process profile in-process and asks STS", async () => {
  await using moto = await startMoto();
  if (!moto) return;
  await using cm = await startConsoleMe({ sts: moto.url });
  await using home = await loggedInHome(cm);
  await Deno.writeTextFile(
    `${home.aws}/config`,
    "[profile dev]\ncredential_process = weep credential_process test_account_user\n",
  );
  const env = { AWS_ENDPOINT_URL_STS: moto.url };
  const result = await runWeep(home.home, ["whoami", "--profile", "dev"], { env });
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stderr, "");
  const lines = result.stdout.split("\n");
  assertEquals(lines[0], "Role:    test_account_user");
  assertEquals(lines[1], "Account: 012345678903");
  assertEquals(
    lines[2],
    "ARN:     arn:aws:sts::012345678903:assumed-role/test_account_user/user@example.com",
  );
  assertEquals(lines[4], 'Source:  profile "dev" (weep credential_process)');
  assertEquals(cm.count("/api/v1/get_credentials"), 1);

  const json = await runWeep(home.home, ["whoami", "--json"], { env: { ...env, AWS_PROFILE: "dev" } });
  assertEquals(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout);
  assertEquals([parsed.type, parsed.name, parsed.session], [
    "assumed-role",
    "test_account_user",
    "user@example.com",
  ]);
});

Deno.test("weep whoami uses the environment's keys first, as the AWS CLI does", async () => {
  await using moto = await startMoto();
  if (!moto) return;
  await using home = await tempHome();
  const env = {
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  };
  const result = await runWeep(home.home, ["whoami"], { env });
  assertEquals(result.code, 0, result.stderr);
  assertEquals(
    result.stdout,
    "User:    moto\nAccount: 123456789012\nARN:     arn:aws:sts::123456789012:user/moto\n" +
      "UserId:  AKIAIOSFODNN7EXAMPLE\nSource:  the environment\n",
  );
});

Deno.test("weep whoami without credentials says how to get some", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["whoami"]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, 'No AWS credentials found for profile "default"');
  assertStringIncludes(result.stderr, "weep export");
});

/** Static keys moto's STS answers for as the user `moto` of account 123456789012. */
const MOTO_KEYS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

Deno.test("weep whoami names the account from SWAG when swag.enable is set", async () => {
  await using moto = await startMoto();
  if (!moto) return;
  await using cm = await startConsoleMe({ accounts: { "123456789012": "moto_prod" } });
  await using home = await tempHome();
  await home.writeConfig(`swag:\n  enable: true\n  url: ${cm.url}/swag\n`);
  const env = { AWS_ENDPOINT_URL_STS: moto.url, ...MOTO_KEYS };
  const result = await runWeep(home.home, ["whoami"], { env });
  assertEquals([result.code, result.stderr], [0, ""]);
  assertEquals(result.stdout.split("\n")[1], "Account: moto_prod (123456789012)");
  const json = await runWeep(home.home, ["whoami", "--json"], { env });
  assertEquals(JSON.parse(json.stdout).account_name, "moto_prod");
  // SWAG was asked once per run, for that account, without ConsoleMe's login cookie.
  assertEquals(cm.requests.map((r) => [r.method, r.path, r.cookie]), [
    ["GET", "/swag/1/accounts/123456789012", false],
    ["GET", "/swag/1/accounts/123456789012", false],
  ]);
});

Deno.test("a SWAG that fails or does not know the account leaves whoami with the account number", async () => {
  await using moto = await startMoto();
  if (!moto) return;
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  await home.writeConfig(`swag:\n  enable: true\n  url: ${cm.url}/swag\n`);
  const env = { AWS_ENDPOINT_URL_STS: moto.url, ...MOTO_KEYS };
  const unknown = await runWeep(home.home, ["whoami", "--json"], { env });
  assertEquals([unknown.code, unknown.stderr], [0, ""]);
  assertEquals(JSON.parse(unknown.stdout).account_name, null);

  cm.fault("500", { endpoint: "/swag/*" });
  const failed = await runWeep(home.home, ["whoami"], { env });
  assertEquals(failed.code, 0);
  assertEquals(failed.stdout.split("\n")[1], "Account: 123456789012");
  assertEquals(
    failed.stderr,
    `warning: SWAG at "${cm.url}" answered HTTP 500 for account "123456789012"\n` +
      "  Check swag.url in ~/.aws/weep/weep.yaml (or set swag.enable: false)\n",
  );

  await home.writeConfig("swag:\n  enable: true\n");
  const noUrl = await runWeep(home.home, ["whoami"], { env });
  assertEquals(noUrl.code, 0);
  assertEquals(
    noUrl.stderr,
    "warning: swag.enable is set but swag.url is empty: the account name cannot be looked up\n" +
      "  Set swag.url in ~/.aws/weep/weep.yaml (or swag.enable: false)\n",
  );
});
