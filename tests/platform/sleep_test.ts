import { wakeAfter } from "../../src/platform/sleep.ts";
import { assertEquals } from "../support/assert.ts";

Deno.test("wakeAfter resolves once its time has passed; Ctrl-C (the signal) rejects it with the signal's reason", async () => {
  assertEquals(await wakeAfter(1), undefined);
  const controller = new AbortController();
  const waiting = wakeAfter(60_000, controller.signal);
  controller.abort(new Error("Interrupted"));
  assertEquals(await waiting.catch((error: Error) => error.message), "Interrupted");
  assertEquals(await wakeAfter(1, controller.signal).catch((error: Error) => error.message), "Interrupted");
});
