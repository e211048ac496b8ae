import { runDoctor } from "../../src/commands/doctor.ts";
import { assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { appFor } from "../support/in_process.ts";

Deno.test("runDoctor checks what it is given: the loaded config, ConsoleMe, the login and the AWS files", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  await Deno.writeTextFile(`${home.aws}/config`, "[profile dev]\nregion = x\n[profile dev]\n", {
    mode: 0o600,
  });
  const { app } = appFor(home.home);
  const checks = async (loadConfig = () => app.loadConfig({})) =>
    (await runDoctor({ ...app, loadConfig })).map((check) => `${check.status} ${check.title}`);
  const results = await checks();
  for (const line of ["ok Config", "ok ConsoleMe", "ok ConsoleMe API", "ok Login", "fail AWS config file"]) {
    assertEquals(results.includes(line), true, `${line} in ${results.join(", ")}`);
  }
  // A config that does not load is a failed check, and ConsoleMe's are skipped, not a thrown error.
  const broken = await checks(() => Promise.reject(new Error("no config")));
  assertEquals(broken.slice(0, 4), ["fail Config", "skip ConsoleMe", "skip ConsoleMe API", "skip Login"]);
  assertEquals(cm.count("/healthcheck"), 1);
});

Deno.test("weep doctor passes a healthy setup and exits 0", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  await Deno.writeTextFile(
    `${home.aws}/config`,
    "[default]\nregion = us-east-1\n\n[profile dev]\ncredential_process = weep credential_process dev_role\n",
    { mode: 0o600 },
  );
  const result = await runWeep(home.home, ["doctor"]);
  assertEquals(result.code, 0, result.stdout + result.stderr);
  assertEquals(result.stderr, "");
  const lines = result.stdout.split("\n");
  assertEquals(lines.map((line) => line.slice(0, 6)).filter((label) => label.startsWith("[")), [
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[ ok ]",
    "[warn]",
  ]);
  assertEquals(lines[1], `[ ok ] ConsoleMe: ${cm.url} is up`);
  assertEquals(lines[2], "[ ok ] ConsoleMe API: answers JSON and accepts your login");
  assertStringIncludes(result.stdout, "[warn] Install: no install record (1 profiles run weep)");
  assertMatch(result.stdout, /\n\[ ok \] Weep files: \d+ in ~\/\.aws\/weep are yours and private/);
  assertStringIncludes(result.stdout, "\nAll checks passed, 1 with warnings\n");
  assertEquals(cm.count("/healthcheck"), 1);
});

Deno.test("weep doctor reports each problem with a fix, exits 1 and names the failed checks on stderr", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  await Deno.writeTextFile(
    `${home.aws}/config`,
    "[profile dev]\ncredential_process = weep credential_process dev_role\n[profile dev]\n",
    { mode: 0o600 },
  );
  await Deno.writeTextFile(
    `${home.aws}/credentials`,
    "[dev]\naws_access_key_id = AKIA\naws_secret_access_key = s\n",
  );
  await Deno.chmod(`${home.aws}/credentials`, 0o644);
  const result = await runWeep(home.home, ["doctor"]);
  assertEquals(result.code, 1);
  for (
    const part of [
      `[FAIL] AWS config file: the AWS CLI and boto3 reject "${home.aws}/config"`,
      "       line 3: duplicate section [profile dev] (first at line 1)",
      `[FAIL] credential_process: 1 profiles never run their credential_process`,
      `[FAIL] File modes: 1 file is readable or writable by others`,
      `       Fix: chmod 600 ${home.aws}/credentials`,
      "\n3 checks failed",
    ]
  ) assertStringIncludes(result.stdout, part);
  assertStringIncludes(result.stderr, "Checks failed: AWS config file, credential_process, File modes");
});

Deno.test("weep doctor fails when ConsoleMe answers HTML, and warns when it rejects the stored login", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  cm.fault("html", { endpoint: "/healthcheck" });
  await cm.rotateSecret();
  const result = await runWeep(home.home, ["doctor"]);
  assertEquals(result.code, 1);
  assertStringIncludes(
    result.stdout,
    `[FAIL] ConsoleMe: ${cm.url}/healthcheck answered HTTP 200 with an HTML page, not OK`,
  );
  assertStringIncludes(result.stdout, "[ ok ] ConsoleMe API: answers JSON (HTTP 403)");
  assertStringIncludes(
    result.stdout,
    "[warn] Login: ConsoleMe no longer accepts the login of user@example.com",
  );
});

Deno.test("weep doctor without a config fails the config check and skips ConsoleMe", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["doctor"]);
  assertEquals(result.code, 1);
  assertStringIncludes(result.stdout, "[FAIL] Config: consoleme_url is not set (no config file)");
  assertStringIncludes(result.stdout, "[skip] ConsoleMe: needs a valid config");
  assertStringIncludes(result.stderr, "Checks failed: Config");
});

Deno.test("weep doctor says a --config it may not read is outside what this weep may read, as credential_process does", async () => {
  await using home = await tempHome();
  const outside = await Deno.makeTempFile({ prefix: "weep-outside-", suffix: ".yaml" });
  try {
    const doctor = await runWeep(home.home, ["doctor", "--config", outside]);
    assertEquals(doctor.code, 1);
    const cp = await runWeep(home.home, ["credential_process", "--config", outside, "role"]);
    const [message, ...hints] = cp.stderr.trimEnd().split("\n");
    assertEquals(message, `error: Cannot read "${outside}": this weep's permissions do not allow it`);
    assertStringIncludes(doctor.stdout, `[FAIL] Config: ${message!.slice("error: ".length)}\n`);
    for (const hint of hints) assertStringIncludes(doctor.stdout, hint.trim());
    assertEquals(doctor.stdout.includes("--allow-read"), false, doctor.stdout);
  } finally {
    await Deno.remove(outside);
  }
});

Deno.test("weep doctor fails when ConsoleMe cannot be reached", async () => {
  await using home = await tempHome();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await home.writeConfig(`consoleme_url: http://127.0.0.1:${port}\n`);
  const result = await runWeep(home.home, ["doctor"]);
  assertEquals(result.code, 1);
  assertStringIncludes(
    result.stdout,
    `[FAIL] ConsoleMe: Cannot reach ConsoleMe at "http://127.0.0.1:${port}"`,
  );
  assertStringIncludes(result.stdout, "[skip] ConsoleMe API: ConsoleMe is not reachable");
  assertStringIncludes(result.stdout, "[warn] Login: not logged in");
});
