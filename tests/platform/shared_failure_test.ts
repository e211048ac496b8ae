import { WeepError } from "../../src/errors.ts";
import {
  clearFailure,
  failurePath,
  recentFailure,
  recordFailure,
} from "../../src/platform/shared_failure.ts";
import { assert, assertEquals } from "../support/assert.ts";

Deno.test("a recorded failure is shared for its window and scope, with its message, hints and kind", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-failure-" });
  try {
    const lock = `${dir}/cache-abc.lock`;
    const error = new WeepError("ConsoleMe answered HTTP 502: Bad Gateway", {
      hints: ["Try again later"],
      failure: "transient",
    });
    await recordFailure(lock, "https://cm alice", error, 1_000_000);
    assertEquals(failurePath(lock), `${dir}/cache-abc.failure.json`);
    assertEquals((await Deno.stat(failurePath(lock))).mode! & 0o777, 0o600);
    const shared = await recentFailure(lock, "https://cm alice", 1_009_999, 10_000);
    assert(shared, "shared within the window");
    assertEquals([shared.pid, shared.at], [Deno.pid, 1_000_000]);
    assertEquals([shared.error.message, shared.error.hints, shared.error.failure], [
      error.message,
      error.hints,
      "transient",
    ]);
    assertEquals(await recentFailure(lock, "https://cm alice", 1_010_000, 10_000), undefined, "window over");
    assertEquals(
      await recentFailure(lock, "https://other bob", 1_000_001, 10_000),
      undefined,
      "another scope",
    );
    assertEquals(
      await recentFailure(lock, "https://cm alice", 999_000, 10_000),
      undefined,
      "recorded in the future",
    );
    await clearFailure(lock);
    assertEquals(await recentFailure(lock, "https://cm alice", 1_000_001, 10_000), undefined, "cleared");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a corrupt or foreign failure file is no failure", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-failure-" });
  try {
    const lock = `${dir}/login.lock`;
    for (
      const text of [
        "{",
        "null",
        '{"pid":"1","at":1,"message":"x","scope":""}',
        '{"pid":1,"at":1,"scope":""}',
      ]
    ) {
      await Deno.writeTextFile(failurePath(lock), text);
      assertEquals(await recentFailure(lock, "", 2, 10_000), undefined, text);
    }
    await Deno.writeTextFile(failurePath(lock), '{"pid":1,"at":1,"message":"x","scope":"","failure":"odd"}');
    assertEquals(
      (await recentFailure(lock, "", 2, 10_000))?.error.failure,
      "final",
      "an unknown kind is final",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
