import type { CredentialQuery } from "../../src/aws/credentials.ts";
import { exportCredentials } from "../../src/commands/export.ts";
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { requireTool, type ToolName } from "../support/tools.ts";

const ROLE = "arn:aws:iam::012345678903:role/test_account_user";

async function evalWith(shell: string, script: string, env: Record<string, string> = {}): Promise<string> {
  const out = await new Deno.Command(shell, { args: ["-c", script], env, stdout: "piped", stderr: "piped" })
    .output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test("exportCredentials asks the source for the input's query and writes the shell's statements", async () => {
  const asked: CredentialQuery[] = [];
  const source = (query: CredentialQuery) => {
    asked.push(query);
    return Promise.resolve({
      accessKeyId: "AKIAEXPORT",
      secretAccessKey: "it's/secret",
      sessionToken: "tok",
      expiration: new Date("2026-11-28T18:32:50Z"),
    });
  };
  const input = { role: ROLE, assumeRoles: ["arn:aws:iam::012345678903:role/next"], noIp: true };
  assertEquals(
    await exportCredentials({ ...input, syntax: "posix" }, source),
    "export AWS_ACCESS_KEY_ID='AKIAEXPORT'\nexport AWS_SECRET_ACCESS_KEY='it'\\''s/secret'\n" +
      "export AWS_SESSION_TOKEN='tok'\nexport AWS_CREDENTIAL_EXPIRATION='2026-11-28T18:32:50Z'\n",
  );
  assertStringIncludes(
    await exportCredentials({ ...input, syntax: "fish" }, source),
    "set -gx AWS_ACCESS_KEY_ID",
  );
  assertEquals(asked, [input, input]);
});

/** Each real shell, the `--shell` name weep knows it by, and how it evals a file of export lines. */
const SHELLS: [ToolName, string, (file: string) => string][] = [
  ["dash", "sh", (f) => `eval "$(cat '${f}')"`],
  ["zsh", "zsh", (f) => `eval "$(cat '${f}')"`],
  ["ksh", "ksh", (f) => `eval "$(cat '${f}')"`],
  ["fish", "fish", (f) => `eval (cat '${f}')`],
];

for (const [shell, name, evalFile] of SHELLS) {
  Deno.test(`weep export --shell ${name} sets the minted credentials in ${shell}`, async () => {
    const path = await requireTool(shell);
    if (!path) return;
    await using cm = await startConsoleMe();
    await using home = await loggedInHome(cm);
    const result = await runWeep(home.home, ["export", "--shell", name, ROLE]);
    assertEquals([result.code, result.stderr], [0, ""]);
    const file = `${home.home}/export.txt`;
    await Deno.writeTextFile(file, result.stdout);
    const vars = '"$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"';
    const seen = await evalWith(path, `${evalFile(file)}; printf '%s|' ${vars}`);
    // The same credentials, through another channel: credential_process JSON from weep's cache.
    const json = await runWeep(home.home, ["credential_process", ROLE]);
    const printed = JSON.parse(json.stdout);
    assertEquals(printed.AccessKeyId, cm.minted[0]!.accessKeyId);
    assertEquals(cm.minted.length, 1);
    assert(
      seen === `${printed.AccessKeyId}|${printed.SecretAccessKey}|${printed.SessionToken}|`,
      "values differ",
    );
  });
}

Deno.test('eval "$(weep export ROLE)" sets the credentials ConsoleMe minted in bash', async () => {
  const bash = await requireTool("bash");
  if (!bash) return;
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const result = await runWeep(home.home, ["export", "test_account_user"], { env: { SHELL: "/bin/bash" } });
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stderr, "");
  const lines = result.stdout.split("\n");
  assertEquals(lines.length, 5);
  assertEquals(lines.slice(0, 4).map((line) => line.split("=")[0]), [
    "export AWS_ACCESS_KEY_ID",
    "export AWS_SECRET_ACCESS_KEY",
    "export AWS_SESSION_TOKEN",
    "export AWS_CREDENTIAL_EXPIRATION",
  ]);
  const minted = cm.minted[0]!;
  assertEquals(minted.roleArn, ROLE);
  const file = `${home.home}/export.sh`;
  await Deno.writeTextFile(file, result.stdout);
  const seen = await evalWith(
    bash,
    `eval "$(cat '${file}')"; printf '%s %s' "$AWS_ACCESS_KEY_ID" "$AWS_CREDENTIAL_EXPIRATION"`,
  );
  assertEquals(
    seen,
    `${minted.accessKeyId} ${new Date(minted.expiration * 1000).toISOString().replace(/\.\d+Z$/, "Z")}`,
  );
});

Deno.test("weep export writes fish syntax when $SHELL is fish, and PowerShell with --shell pwsh", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const fish = await runWeep(home.home, ["export", ROLE], { env: { SHELL: "/usr/bin/fish" } });
  assertEquals(fish.code, 0, fish.stderr);
  assertEquals(fish.stdout.split("\n").slice(0, 4).map((line) => line.split(" ").slice(0, 3).join(" ")), [
    "set -gx AWS_ACCESS_KEY_ID",
    "set -gx AWS_SECRET_ACCESS_KEY",
    "set -gx AWS_SESSION_TOKEN",
    "set -gx AWS_CREDENTIAL_EXPIRATION",
  ]);
  const pwsh = await runWeep(home.home, ["export", "--shell", "pwsh", ROLE], {
    env: { SHELL: "/usr/bin/fish" },
  });
  assertEquals(pwsh.code, 0, pwsh.stderr);
  assertEquals(pwsh.stdout.split("\n")[0], `$Env:AWS_ACCESS_KEY_ID = '${cm.minted.at(-1)!.accessKeyId}'`);
});

Deno.test("weep export prints nothing on stdout when it fails, so eval runs nothing", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const noMatch = await runWeep(home.home, ["export", "no_such_role"]);
  assertEquals(noMatch.code, 1);
  assertEquals(noMatch.stdout, "");
  assertStringIncludes(noMatch.stderr, 'No role you may use matches "no_such_role"');
  const ambiguous = await runWeep(home.home, ["export", "consoleme_oss_1"]);
  assertEquals(ambiguous.code, 1);
  assertEquals(ambiguous.stdout, "");
  assertStringIncludes(ambiguous.stderr, "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin");
  const badShell = await runWeep(home.home, ["export", "--shell", "tcsh", ROLE]);
  assertEquals(badShell.code, 2);
  assertEquals(badShell.stdout, "");
  assertEquals(cm.minted.length, 0);
});

Deno.test("weep export without a role is a usage error that points to weep list", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const result = await runWeep(home.home, ["export"]);
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "export needs a role");
  assertStringIncludes(result.stderr, "weep list");
  assertEquals(cm.requests.length, 0);
});

Deno.test("weep export -n asks for credentials without IP restrictions", async () => {
  await using cm = await startConsoleMe({ mfa: "approve" });
  await using home = await loggedInHome(cm);
  const result = await runWeep(home.home, ["export", "-n", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  const request = cm.requests.find((r) => r.path === "/api/v1/get_credentials")!;
  assertEquals(JSON.parse(request.body).no_ip_restrictions, true);
});
