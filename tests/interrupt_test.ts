import { weepRunArgs } from "../scripts/weep_command.ts";
import { assertEquals, assertStringIncludes } from "./support/assert.ts";
import { assertNoSecrets, baseEnv } from "./support/cli.ts";
import { startConsoleMe } from "./support/consoleme_server.ts";
import { spawnWeep } from "./support/fault_bed.ts";
import { loggedInHome } from "./support/logged_in.ts";

Deno.test("Ctrl-C while ConsoleMe is slow ends weep at once with exit 130 and nothing on stdout", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  cm.fault("slow", { ms: 60_000 });
  const env = baseEnv(home.home);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...weepRunArgs(env), "credential_process", "test_account_user"],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Wait until the request is in flight, then interrupt.
  while (cm.count("/api/v1/get_credentials") === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  child.kill("SIGINT");
  const result = await child.output();
  const stderr = new TextDecoder().decode(result.stderr);
  assertNoSecrets(stderr);
  assertEquals(result.code, 130, stderr);
  assertEquals(new TextDecoder().decode(result.stdout), "");
  assertStringIncludes(stderr, "Interrupted");
});

Deno.test("SIGTERM while ConsoleMe is slow ends weep with exit 143 and nothing on stdout", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  cm.fault("slow", { ms: 60_000 });
  await using weep = spawnWeep(home.home, ["credential_process", "test_account_user"]);
  while (cm.count("/api/v1/get_credentials") === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  weep.kill("SIGTERM");
  const result = await weep.result();
  assertEquals(result.code, 143, result.stderr);
  assertEquals(result.stdout, "");
  assertEquals(result.stderr, "error: Terminated\n");
});
