// stdout that cannot be written (a full disk, a reader that went away) ends weep with exit 1 and one line on
// stderr, never a stack trace: on a cache hit (the fast path), on a miss, and for other commands.
import { weepRunArgs } from "../scripts/weep_command.ts";
import { assertEquals } from "./support/assert.ts";
import { baseEnv, runWeep, spawnWeep } from "./support/cli.ts";
import { startConsoleMe } from "./support/consoleme_server.ts";
import { loggedInHome } from "./support/logged_in.ts";
import { requireTool } from "./support/tools.ts";

const ROLE = "test_account_user";
const FULL = "error: Cannot write to stdout: No space left on device (os error 28)\n";

/** Runs weep with stdout on /dev/full, through bash. */
async function toDevFull(bash: string, home: string, args: string[]) {
  const env = baseEnv(home);
  const out = await new Deno.Command(bash, {
    args: ["-c", 'exec "$@" >/dev/full', "weep", Deno.execPath(), ...weepRunArgs(env), ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("a full stdout (>/dev/full) exits 1 with one line, on a cache hit, a cache miss and for list", async () => {
  const bash = await requireTool("bash");
  if (!bash || Deno.build.os !== "linux") return;
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  assertEquals(await toDevFull(bash, home.home, ["credential_process", ROLE]), { code: 1, stderr: FULL });
  // The miss stored the credentials: the next call is a hit, answered by the fast path.
  assertEquals((await runWeep(home.home, ["credential_process", ROLE])).code, 0);
  cm.clearRequests();
  assertEquals(await toDevFull(bash, home.home, ["credential_process", ROLE]), { code: 1, stderr: FULL });
  assertEquals(cm.requests.length, 0, "that was a cache hit");
  assertEquals(await toDevFull(bash, home.home, ["list", "-s"]), { code: 1, stderr: FULL });
});

Deno.test("a reader that closed stdout (EPIPE) makes weep exit 1 with one line", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  for (const round of ["miss", "hit"]) {
    const weep = spawnWeep(home.home, ["credential_process", ROLE], {}, { closeStdout: true });
    const result = await weep.result();
    assertEquals(
      [result.code, result.stderr],
      [1, "error: Cannot write to stdout: Broken pipe (os error 32)\n"],
      round,
    );
  }
});

Deno.test("on a cache hit, a reader that closed stdout gets the error as --log-format json asks", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  assertEquals((await runWeep(home.home, ["credential_process", ROLE])).code, 0);
  cm.clearRequests();
  const args = ["credential_process", "--log-format", "json", ROLE];
  const result = await spawnWeep(home.home, args, {}, { closeStdout: true }).result();
  assertEquals(cm.requests.length, 0, "that was a cache hit");
  assertEquals(result.code, 1);
  const line = JSON.parse(result.stderr);
  assertEquals([line.level, line.msg], ["error", "Cannot write to stdout: Broken pipe (os error 32)"]);
});
