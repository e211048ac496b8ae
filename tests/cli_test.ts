import denoJson from "../deno.json" with { type: "json" };
import { assert, assertEquals, assertMatch, assertStringIncludes } from "./support/assert.ts";
import { baseEnv, runWeep, tempHome } from "./support/cli.ts";
import { weepRunArgs } from "../scripts/weep_command.ts";
import { requireTool } from "./support/tools.ts";

Deno.test("weep --help lists the commands on stdout", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["--help"]);
  assertEquals(result.code, 0);
  for (const command of ["credential_process", "completion", "config", "version", "help"]) {
    assertStringIncludes(result.stdout, command);
  }
  assertEquals(result.stderr, "");
});

Deno.test("weep with no arguments prints help and exits 0", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, []);
  assertEquals(result.code, 0);
  assertStringIncludes(result.stdout, "Usage: weep");
});

Deno.test("weep --version prints the version in deno.json", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["--version"]);
  assertEquals(result, { code: 0, stdout: `${denoJson.version}\n`, stderr: "" });
  const version = await runWeep(home.home, ["version"]);
  assertMatch(version.stdout, new RegExp(`^weep ${denoJson.version.replaceAll(".", "\\.")} `));
});

Deno.test("an unknown flag exits 2 with a message on stderr and nothing on stdout", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["--bogus"]);
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, 'Unknown option "--bogus"');
});

Deno.test("a mistyped command suggests the right one", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["credential_proces", "x"]);
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, '\n  Did you mean "credential_process"?\n');
});

Deno.test("credential_process without a role is a usage error", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["credential_process"]);
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "credential_process needs a role");
});

Deno.test("completion scripts are generated from the command tree; bash passes shellcheck", async () => {
  await using home = await tempHome();
  for (const shell of ["bash", "zsh", "fish"]) {
    const result = await runWeep(home.home, ["completion", shell]);
    assertEquals(result.code, 0, shell);
    assertStringIncludes(result.stdout, "credential_process");
    assertStringIncludes(result.stdout, "log-level");
  }
  const bad = await runWeep(home.home, ["completion", "tcsh"]);
  assertEquals(bad.code, 2);
  const bash = await runWeep(home.home, ["completion", "bash"]);
  const script = `${home.home}/weep.bash`;
  await Deno.writeTextFile(script, bash.stdout);
  const tool = await requireTool("shellcheck");
  if (!tool) return;
  const shellcheck = await new Deno.Command(tool, { args: ["-s", "bash", script], stdout: "piped" }).output();
  assertEquals(new TextDecoder().decode(shellcheck.stdout), "");
  assert(shellcheck.success, "shellcheck failed");
});

Deno.test("config layers through the real CLI: file, --extra-config-file, environment, flags", async () => {
  await using home = await tempHome();
  await home.writeConfig("consoleme_url: https://file.example.com/\nserver:\n  port: 1111\n");
  await Deno.writeTextFile(`${home.weep}/extra.yaml`, "server:\n  port: 2222\n");
  const result = await runWeep(
    home.home,
    ["--extra-config-file", `${home.weep}/extra.yaml`, "--region", "eu-north-1", "config", "--json"],
    { env: { WEEP_CHALLENGE_SETTINGS_USER: "alice@example.com" } },
  );
  assertEquals(result.code, 0, result.stderr);
  const keys = new Map(
    (JSON.parse(result.stdout).keys as { key: string; value: unknown; source: string }[]).map((
      k,
    ) => [k.key, k]),
  );
  assertEquals(keys.get("consoleme_url"), {
    key: "consoleme_url",
    value: "https://file.example.com",
    source: `${home.weep}/weep.yaml`,
  });
  assertEquals(keys.get("server.port")?.value, 2222);
  assertEquals(keys.get("challenge_settings.user")?.source, "environment");
  assertEquals(keys.get("aws.region"), { key: "aws.region", value: "eu-north-1", source: "flags" });
});

Deno.test("a config validation error names the file and key, exits 1, prints nothing on stdout", async () => {
  await using home = await tempHome();
  await home.writeConfig("server:\n  http_timeout: soon\n");
  const result = await runWeep(home.home, ["credential_process", "role"]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertStringIncludes(
    result.stderr,
    `Invalid config in "${home.weep}/weep.yaml": key "server.http_timeout" must be an integer from 1 to 3600`,
  );
});

Deno.test("an unknown config key is a warning; --log-format json makes stderr JSON lines", async () => {
  await using home = await tempHome();
  await home.writeConfig("colour: blue\n");
  const result = await runWeep(home.home, ["--log-format", "json", "config"]);
  assertEquals(result.code, 0);
  const lines = result.stderr.trim().split("\n").map((line) => JSON.parse(line));
  assertEquals(lines.length, 1);
  assertEquals(lines[0].level, "warn");
  assertStringIncludes(lines[0].msg, 'Unknown config key "colour"');
});

Deno.test("a config file outside ~/.aws is refused by the permission set with a clear message", async () => {
  await using home = await tempHome();
  const outside = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    const result = await runWeep(home.home, ["--config", outside, "config"]);
    assertEquals(result.code, 1);
    assertEquals(result.stdout, "");
    assertStringIncludes(result.stderr, outside);
    assertStringIncludes(result.stderr, "permissions");
  } finally {
    await Deno.remove(outside);
  }
});

Deno.test("a malformed --assume-role ARN is refused before any ConsoleMe request", async () => {
  await using home = await tempHome();
  await home.writeConfig("consoleme_url: http://127.0.0.1:9\nchallenge_settings:\n  user: a@example.com\n");
  const result = await runWeep(home.home, ["-A", "not-an-arn", "credential_process", "role"]);
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, 'Invalid role ARN "not-an-arn" for --assume-role');
});

Deno.test("help is plain text whatever the colour variables say (commander never reads them)", async () => {
  await using home = await tempHome();
  for (const env of [{ NO_COLOR: "", FORCE_COLOR: "1" }, { NO_COLOR: "", CLICOLOR_FORCE: "1" }]) {
    const result = await runWeep(home.home, ["credential_process", "--help"], { env });
    assertEquals([result.code, result.stderr], [0, ""]);
    assertStringIncludes(result.stdout, "Usage: weep credential_process");
    assertEquals(result.stdout.includes("\x1b"), false);
  }
});

Deno.test("weep help for a command that does not exist is a usage error with a suggestion", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["help", "generat"]);
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, 'Unknown command "generat"');
  assertStringIncludes(result.stderr, '\n  Did you mean "generate"?\n');
});

Deno.test("without HOME weep says so instead of reporting a bug", async () => {
  await using home = await tempHome();
  const { HOME: _, ...env } = baseEnv(home.home);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...weepRunArgs(baseEnv(home.home)), "config"],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(output.code, 1);
  assertEquals(new TextDecoder().decode(output.stdout), "");
  assertStringIncludes(
    new TextDecoder().decode(output.stderr),
    "HOME is not set: weep cannot find your AWS directory",
  );
});

Deno.test("credential_process flags the fast parser refuses still get commander's usage errors", async () => {
  await using home = await tempHome();
  const bad = await runWeep(home.home, ["credential_process", "--log-level", "loud", "role"]);
  assertEquals([bad.code, bad.stdout], [2, ""]);
  assertStringIncludes(bad.stderr, "--log-level");
  const json = await runWeep(home.home, ["credential_process", "--log-format", "json", "role"]);
  assertEquals([json.code, json.stdout], [1, ""]);
  const line = JSON.parse(json.stderr.trim().split("\n")[0]!);
  assertEquals(line.level, "error");
  assertStringIncludes(line.msg, "consoleme_url is not set");
});
