import { InterruptedError, WeepError } from "../../src/errors.ts";
import { holderPath, lockFile, readHolder } from "../../src/platform/locks.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";

/** A temporary directory with a lock path in it, removed on dispose. */
async function lockDir() {
  const dir = await Deno.makeTempDir({ prefix: "weep-locks-" });
  return { path: `${dir}/locks/x.lock`, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

// A waiter that gives up leaves its lock request to finish once the holder lets go; these tests release the
// holder and then let that request settle, which the op sanitizer cannot see coming.
const abandons = { sanitizeOps: false, sanitizeResources: false };

/** Runs `fn` with a lock path that this process holds as `doing`, then lets go. */
async function whileHeld(doing: string, needMs: number, fn: (path: string) => Promise<void>): Promise<void> {
  await using dir = await lockDir();
  const holder = await lockFile(dir.path, { doing, needMs });
  try {
    await fn(dir.path);
  } finally {
    await holder.release();
  }
}

Deno.test("the holder records its PID, what it does and until when; release removes the record", async () => {
  await using dir = await lockDir();
  const before = Date.now();
  const lock = await lockFile(dir.path, { doing: "fetching credentials", needMs: 7000 });
  const holder = await readHolder(dir.path);
  assertEquals([holder?.pid, holder?.doing, lock.held], [Deno.pid, "fetching credentials", true]);
  assert(holder!.until >= before + 7000 && holder!.until <= Date.now() + 7000, "until is now + needMs");
  assertEquals((await Deno.stat(holderPath(dir.path))).mode! & 0o777, 0o600);
  await lock.release();
  assertEquals(await readHolder(dir.path), undefined);
});

Deno.test({
  name: "a waiter fails once the holder has overrun what it may need, naming its PID and what it does",
  ...abandons,
  fn: () =>
    whileHeld("editing ~/.aws/config", 100, async (path) => {
      const error = await assertRejects(() => lockFile(path, { needMs: 200 }));
      assert(error instanceof WeepError);
      assertStringIncludes(
        error.message,
        `Weep process ${Deno.pid} (editing ~/.aws/config) has held a lock weep needs for`,
      );
      assertEquals(error.hints, [`If that process is stuck, end it (kill ${Deno.pid}) and try again`]);
    }),
});

Deno.test({
  name: "with overrun: proceed, a waiter warns and goes on without the lock",
  ...abandons,
  fn: () =>
    whileHeld("fetching credentials", 100, async (path) => {
      const logged: string[] = [];
      const lock = await lockFile(path, {
        needMs: 200,
        overrun: "proceed",
        log: (level, message) => logged.push(`${level}: ${message}`),
      });
      assertEquals(lock.held, false);
      await lock.release();
      assertEquals(logged[0], `debug: Waiting for weep process ${Deno.pid} (fetching credentials)`);
      assertStringIncludes(logged.at(-1)!, "longer than it can need; going ahead without it");
      assertEquals(logged.at(-1)!.startsWith("warn: "), true);
    }),
});

Deno.test("a holder that said it needs longer (a login) is waited for, and the lock is then handed over", async () => {
  await using dir = await lockDir();
  const holder = await lockFile(dir.path, { doing: "logging in to ConsoleMe", needMs: 10_000 });
  const waiting = lockFile(dir.path, { needMs: 50, overrun: "fail" });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await holder.release();
  const lock = await waiting;
  assertEquals(lock.held, true);
  await lock.release();
});

Deno.test("taking a second lock (a login) tells the first lock's waiters how long the holder now needs", async () => {
  await using dir = await lockDir();
  const outer = await lockFile(dir.path, { doing: "fetching credentials", needMs: 1000 });
  const inner = await lockFile(`${dir.path}.login.lock`, {
    doing: "logging in to ConsoleMe",
    needMs: 60_000,
  });
  const record = await readHolder(dir.path);
  assertEquals(record?.doing, "logging in to ConsoleMe");
  assert(record!.until >= Date.now() + 55_000, "the outer record now allows for the login");
  await inner.release();
  await outer.release();
});

Deno.test({
  name: "Ctrl-C while waiting rejects with the interruption, saying what was waited for",
  ...abandons,
  fn: () =>
    whileHeld("fetching credentials", 60_000, async (path) => {
      const controller = new AbortController();
      const waiting = lockFile(path, { signal: controller.signal });
      setTimeout(() => controller.abort(new InterruptedError("Terminated", 143)), 50);
      const error = await assertRejects(() => waiting);
      assert(error instanceof InterruptedError);
      assertEquals(
        error.message,
        `Terminated while waiting for weep process ${Deno.pid} (fetching credentials)`,
      );
      assertEquals(error.exitCode, 143);
    }),
});
