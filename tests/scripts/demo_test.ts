import { DEMO_PROFILES, demoConfig, describeExpiry, maskKey } from "../../scripts/demo.ts";
import { ROOT } from "../../scripts/weep_command.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { DENO_DIR, tempHome } from "../support/cli.ts";
import { findMoto } from "../support/moto.ts";
import { requireInterop, toolPath } from "../support/tools.ts";

Deno.test("deno task demo runs every step against local servers, masks secrets and cleans up", async () => {
  // A HOME of its own: the demo must never create or touch ~/.aws there.
  await using home = await tempHome();
  await Deno.remove(home.aws, { recursive: true });
  const started = Date.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "--config", `${ROOT}/deno.json`, "demo"],
    env: { HOME: home.home, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", DENO_DIR, NO_COLOR: "1" },
    clearEnv: true,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const elapsed = Date.now() - started;
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stdout + stderr);
  assertMatch(stdout, /^2\. Start the test ConsoleMe\n {4}\[ok\] ConsoleMe at http:\/\/127\.0\.0\.1:\d+ /m);
  assertMatch(stdout, /weep asks for a login: http:\/\/127\.0\.0\.1:\d+\/challenge_validator\/[\w-]+\n/);
  assertStringIncludes(stdout, "browser: approved as user@example.com");
  for (const [profile, role] of DEMO_PROFILES) {
    assertStringIncludes(stdout, `weep credential_process ${role}   (profile ${profile})`);
  }
  for (
    const arn of [
      "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin",
      "arn:aws:iam::012345678902:role/consoleme_oss_2_test_admin",
      "arn:aws:iam::012345678903:role/test_account_user",
    ]
  ) {
    assertStringIncludes(stdout, `    [ok] role ${arn}\n`);
  }
  assertMatch(stdout, /expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 60 min\)/);
  const moto = await findMoto();
  const aws = await toolPath("AWS CLI v2") ?? await toolPath("AWS CLI v1");
  const why = "reason" in moto ? moto.reason : "neither AWS CLI v2 nor v1 was found";
  if (requireInterop("the demo's AWS CLI step (moto and an AWS CLI)", "command" in moto && aws, why)) {
    assertStringIncludes(
      stdout,
      "[ok] the AWS CLI ran weep and STS says: arn:aws:sts::012345678903:assumed-role/test_account_user/user@example.com",
    );
  } else {
    assertStringIncludes(stdout, "[skip]");
  }
  assertStringIncludes(stdout, "[ok] every step passed in ");
  assert(!stdout.includes("[fail]"), stdout);
  assert(!/ASIA[A-Z0-9]{16}/.test(stdout + stderr), "a full access key was printed");
  assert(!/"(SecretAccessKey|SessionToken)"/.test(stdout + stderr), "credential JSON was printed");
  const throwAway = stdout.match(/HOME=(\S+)/)?.[1];
  assert(throwAway?.includes("weep-demo-"), "the demo names its throw-away HOME");
  assert(!(await Deno.stat(throwAway!).then(() => true, () => false)), `${throwAway} was not removed`);
  assert(!(await Deno.stat(home.aws).then(() => true, () => false)), "the demo touched $HOME/.aws");
  assert(elapsed < 15_000, `the demo took ${elapsed} ms`);
});

Deno.test("the demo's ~/.aws/config runs weep by its absolute path for each seed profile", () => {
  assertEquals(
    demoConfig("/tmp/h/.deno/bin/weep"),
    "[profile consoleme_oss_1]\n" +
      "credential_process = /tmp/h/.deno/bin/weep credential_process arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin\n" +
      "\n[profile consoleme_oss_2]\n" +
      "credential_process = /tmp/h/.deno/bin/weep credential_process consoleme_oss_2_test_admin\n" +
      "\n[profile test_account_user]\n" +
      "credential_process = /tmp/h/.deno/bin/weep credential_process test_account_user\n",
  );
  assertStringIncludes(
    demoConfig("/tmp/my home/weep"),
    'credential_process = "/tmp/my home/weep" credential_process',
  );
});

Deno.test("the demo masks keys and says when credentials expire", () => {
  assertEquals(maskKey("ASIAEXAMPLEEXAMPLE00"), "ASIA... (20 chars)");
  assertEquals(
    describeExpiry("2026-11-28T19:00:00Z", new Date("2026-11-28T18:00:10Z")),
    "2026-11-28T19:00:00Z (in 60 min)",
  );
});
