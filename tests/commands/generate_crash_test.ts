/**
 * `weep generate` killed with SIGKILL at any moment (seeded points spread over a run that rewrites ~10,000
 * profiles, plus kills aimed at the moment the temporary file appears) leaves `~/.aws/config` exactly as it was
 * or exactly as a complete run writes it, with its mode; and nothing left behind stops the next run.
 */
import { baseEnv, runWeep } from "../support/cli.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { startConsoleMe, syntheticRoles } from "../support/consoleme_server.ts";
import { Random } from "../support/ini_gen.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { note } from "../support/tools.ts";
import { weepRunArgs } from "../../scripts/weep_command.ts";
import { pathExists } from "../../src/platform/files.ts";

const SEED = 20_240_611;
const ROLES = 10_000;
const TIMED_KILLS = 8;
const WATCH_KILLS = 2;
const USER_PART = [
  "# kept by hand",
  "[default]",
  "region = us-east-1",
  "s3 =",
  "    max_concurrent_requests = 20",
  "",
  "[profile dev]",
  "region = eu-west-1",
  "",
].join("\n") + "\n";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

Deno.test("generate killed at any point leaves the old file or the whole new one, and the next run succeeds", async () => {
  await using cm = await startConsoleMe({ autoApprove: true, roles: syntheticRoles(ROLES) });
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const temp = `${path}.weep-tmp`;
  const env = baseEnv(home.home);
  const generate = ["generate", "--command", "/opt/new/weep"];

  await Deno.writeTextFile(path, USER_PART);
  await Deno.chmod(path, 0o640);
  const old = await runWeep(home.home, ["generate", "--command", "/opt/old/weep"]);
  assertEquals(old.code, 0, old.stderr);
  const oldBytes = await Deno.readFile(path);

  // One complete run: the new bytes, and how long a run takes (to spread the kills over it).
  const started = performance.now();
  const complete = await runWeep(home.home, generate);
  const runMs = performance.now() - started;
  assertEquals(complete.code, 0, complete.stderr);
  const newBytes = await Deno.readFile(path);
  assert(!sameBytes(oldBytes, newBytes), "the run changed nothing, so a kill could not be caught");

  const outcomes: string[] = [];
  /** Starts generate on the old file, kills it when `trigger` resolves, and checks what is on disk. */
  async function killWhen(trigger: (child: Deno.ChildProcess) => Promise<void>, label: string) {
    await Deno.writeFile(path, oldBytes);
    const child = new Deno.Command(Deno.execPath(), {
      args: [...weepRunArgs(env), ...generate],
      env,
      clearEnv: true,
      cwd: home.home,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    await trigger(child);
    try {
      child.kill("SIGKILL");
    } catch {
      // It had already finished.
    }
    const result = await child.output();
    const now = await Deno.readFile(path);
    const state = sameBytes(now, oldBytes) ? "old" : sameBytes(now, newBytes) ? "new" : "corrupt";
    assert(state !== "corrupt", `${label}: the file is neither the old bytes nor the new ones`);
    assertEquals(((await Deno.stat(path)).mode ?? 0) & 0o777, 0o640, label);
    if (result.signal === null) {
      assertEquals([result.code, state], [0, "new"], `${label}: ${new TextDecoder().decode(result.stderr)}`);
    }
    outcomes.push(`${label}: ${result.signal === null ? "finished" : "killed"}, ${state} file`);
  }

  const random = new Random(SEED);
  for (let i = 0; i < TIMED_KILLS; i++) {
    const delay = Math.round(1.25 * runMs * (i + random.next()) / TIMED_KILLS);
    await killWhen(() => new Promise((resolve) => setTimeout(resolve, delay)), `after ${delay} ms`);
  }

  // Whatever the kills left (a temporary file, a lock file) does not stop a run.
  await Deno.writeFile(path, oldBytes);
  const after = await runWeep(home.home, generate);
  assertEquals(after.code, 0, after.stderr);
  assert(sameBytes(await Deno.readFile(path), newBytes), "a run after the kills did not write the new file");
  assertEquals(await pathExists(temp), false);

  /** Resolves when `changed` says so, or when the child has exited. Polls as fast as it can: the windows are short. */
  const watch = (changed: () => Promise<boolean>) => async (child: Deno.ChildProcess) => {
    let finished = false;
    child.status.then(() => finished = true);
    while (!finished && !(await changed())) {
      // Poll again.
    }
  };
  for (let i = 1; i <= WATCH_KILLS; i++) {
    await killWhen(watch(() => pathExists(temp)), `once the temporary file appears (${i})`);
  }
  for (let i = 1; i <= WATCH_KILLS; i++) {
    await killWhen(async (child) => {
      const before = await Deno.stat(path);
      await watch(async () => {
        const now = await Deno.stat(path);
        return now.ino !== before.ino || now.size !== before.size ||
          now.mtime?.getTime() !== before.mtime?.getTime();
      })(child);
    }, `once the file changes (${i})`);
  }

  const last = await runWeep(home.home, generate);
  assertEquals(last.code, 0, last.stderr);
  assert(sameBytes(await Deno.readFile(path), newBytes), "the last run did not write the new file");
  assertEquals(await pathExists(temp), false);
  note(`crash test (${Math.round(runMs)} ms per run):\n  ${outcomes.join("\n  ")}`);
});
