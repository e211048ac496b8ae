import { mayServeStale, staleWarning } from "../../src/cache/stale.ts";
import { WeepError } from "../../src/errors.ts";
import { assertEquals } from "../support/assert.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

Deno.test("only a transient failure with at least stale_min_remaining left lets cached credentials stand in", () => {
  const transient = new WeepError("ConsoleMe answered HTTP 503", { failure: "transient" });
  const refusal = new WeepError("No role you may use matches", { failure: "refusal" });
  const final = new WeepError("Cannot read the mTLS key");
  assertEquals(mayServeStale(transient, at(120), NOW, 120), true);
  assertEquals(mayServeStale(transient, at(119), NOW, 120), false);
  assertEquals(mayServeStale(transient, at(-1), NOW, 0), false, "expired credentials never");
  assertEquals(mayServeStale(refusal, at(3000), NOW, 120), false);
  assertEquals(mayServeStale(final, at(3000), NOW, 120), false);
  assertEquals(mayServeStale(new TypeError("a bug"), at(3000), NOW, 120), false);
});

Deno.test("the stale warning says what failed and when the credentials expire", () => {
  const error = new WeepError('ConsoleMe at "https://cm" did not answer within 20 s', {
    failure: "transient",
  });
  assertEquals(
    staleWarning(error, at(600)),
    'ConsoleMe failed (ConsoleMe at "https://cm" did not answer within 20 s); using cached credentials that ' +
      "expire at 2026-03-01T12:10:00Z",
  );
});
