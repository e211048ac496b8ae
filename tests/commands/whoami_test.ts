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
