import { SLOW_PROFILES, slowdownText } from "../../src/aws/config_cost.ts";
import {
  type AwsFileFacts,
  checkConfigSize,
  checkFileModes,
  checkFileParses,
  checkProfileNames,
  checkShadowing,
} from "../../src/doctor/aws_checks.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";

const config = (text: string | undefined): AwsFileFacts => ({ path: "/h/.aws/config", kind: "config", text });
const credentials = (text: string | undefined): AwsFileFacts => ({
  path: "/h/.aws/credentials",
  kind: "credentials",
  text,
});

Deno.test("a file botocore reads passes; a missing file passes", () => {
  assertEquals(
    checkFileParses(config("[default]\nregion = us-east-1\n\n[profile a]\nregion = eu-west-1\n")),
    {
      title: "AWS config file",
      status: "ok",
      detail: '"/h/.aws/config": 2 profiles, read the same by botocore and the JS SDK',
    },
  );
  assertEquals(checkFileParses(credentials(undefined)).status, "ok");
});

Deno.test("duplicate sections and keys fail the parse check with their lines", () => {
  const check = checkFileParses(config("[profile a]\nregion = x\nregion = y\n[profile a]\n"));
  assertEquals(check.status, "fail");
  assertEquals(check.detail, 'the AWS CLI and boto3 reject "/h/.aws/config"');
  assertStringIncludes(
    check.lines!.join("\n"),
    'line 3: duplicate key "region" in [profile a] (first at line 2)',
  );
  assertStringIncludes(check.lines!.join("\n"), "line 4: duplicate section [profile a]");
  const unreadable = checkFileParses({ ...config(undefined), error: "invalid UTF-8" });
  assertEquals(unreadable.status, "fail");
});

Deno.test("inline comments, which botocore and the JS SDK read differently, are a warning", () => {
  const check = checkFileParses(config("[profile a]\nregion = us-east-1 # main\n"));
  assertEquals(check.status, "warn");
  assertEquals(check.lines![0], "[profile a] line 1: region");
});

Deno.test("profile names with spaces or characters some SDKs ignore are reported", () => {
  assertEquals(checkProfileNames([config("[profile ok-name_1]\n[default]\n")]).status, "ok");
  const check = checkProfileNames([
    config("[profile a b]\nx = 1\n[profile role=x,y]\nx = 1\n"),
    credentials("[cred name]\nx = 1\n"),
  ]);
  assertEquals(check.status, "warn");
  assertEquals(check.lines!.slice(0, 3), [
    "[profile a b] (/h/.aws/config:1): botocore does not read it as a profile",
    '"role=x,y" (/h/.aws/config:3): ignored by the AWS SDK for Java v2 and the AWS SDK for JavaScript v3',
    '"cred name" (/h/.aws/credentials:1): ignored by the AWS SDK for Java v2 and the AWS SDK for JavaScript v3',
  ]);
  assertStringIncludes(
    checkProfileNames([config("[profile arn:aws:iam::1:role/x]\n")]).detail,
    "before late 2023",
  );
});

Deno.test("a weep credential_process shadowed by the credentials file or sso keys fails; others warn", () => {
  const cfg = config(
    "[profile dev]\ncredential_process = weep credential_process dev_role\n" +
      "[profile sso]\ncredential_process = weep credential_process x\nsso_session = corp\n" +
      "[profile clean]\ncredential_process = weep credential_process y\n",
  );
  const check = checkShadowing(
    cfg,
    credentials("[dev]\naws_access_key_id = AKIA\naws_secret_access_key = s\n"),
  );
  assertEquals(check.status, "fail");
  assertEquals(check.lines!.slice(0, 2), [
    '"dev" (weep): [dev] in /h/.aws/credentials (line 1) has keys',
    '"sso" (weep): the profile also sets sso_session',
  ]);
  const other = checkShadowing(
    config("[profile v]\ncredential_process = aws-vault exec v\nrole_arn = arn:aws:iam::1:role/r\n"),
    credentials(undefined),
  );
  assertEquals(other.status, "warn");
  assertEquals(checkShadowing(cfg, credentials("[dev]\nregion = x\n")).lines!.length, 3);
  assertEquals(
    checkShadowing(
      config("[profile clean]\ncredential_process = weep credential_process y\n"),
      credentials(""),
    ).status,
    "ok",
  );
});

Deno.test("a config as large as generate warns about, or slow to parse, is a warning naming the measured cost", () => {
  const small = config("[profile a]\nregion = x\n");
  assertEquals(checkConfigSize(small, 1.25), {
    title: "Config size",
    status: "ok",
    detail: "1 KiB, 1 profiles, parsed in 1.3 ms",
  });
  assertEquals(checkConfigSize(small, 500).status, "warn");
  const profiles = (n: number) =>
    config(Array.from({ length: n }, (_, i) => `[profile p${i}]\nregion = x\n`).join(""));
  assertEquals(checkConfigSize(profiles(SLOW_PROFILES - 1), 1).status, "ok");
  const big = checkConfigSize(profiles(SLOW_PROFILES), 1);
  assertEquals(big.status, "warn");
  assertEquals(big.lines, [
    `AWS tools read the whole file when they start: ${slowdownText(SLOW_PROFILES)}`,
    "Fix: weep generate --used --prune keeps profiles only for the roles you used through weep lately " +
    "(or choose roles with --include/--exclude and --prune)",
  ]);
  assertEquals(checkConfigSize(config(undefined), 0).status, "skip");
});

Deno.test("files others may read fail when they hold secrets and warn otherwise", () => {
  assertEquals(
    checkFileModes([{ path: "/c", mode: 0o100600, secret: true }, { path: "/w", mode: null, secret: true }]),
    {
      title: "File modes",
      status: "ok",
      detail: "2 files are private to you (0600 or stricter)",
    },
  );
  assertEquals(checkFileModes([{ path: "/h/.aws/config", mode: 0o644, secret: false }]).status, "warn");
  const secret = checkFileModes([{ path: "/h/.aws/credentials", mode: 0o100640, secret: true }]);
  assertEquals(secret.status, "fail");
  assertEquals(secret.lines, [
    "/h/.aws/credentials: 0640 (holds secrets)",
    "Fix: chmod 600 /h/.aws/credentials",
  ]);
});
