import { expirationProblem } from "../../src/aws/credentials.ts";
import { assertEquals } from "../support/assert.ts";

const NOW = new Date("2026-03-01T12:00:00Z");

Deno.test("expirationProblem accepts a time ahead of now by up to 36 hours and nothing else", () => {
  assertEquals(expirationProblem(new Date("2026-03-01T13:00:00Z"), NOW), undefined);
  assertEquals(expirationProblem(new Date("2026-03-03T00:00:00Z"), NOW), undefined);
  assertEquals(
    expirationProblem(new Date("2026-03-01T11:00:00Z"), NOW),
    "is in the past (2026-03-01T11:00:00Z; now is 2026-03-01T12:00:00Z)",
  );
  assertEquals(expirationProblem(NOW, NOW)?.startsWith("is in the past"), true);
  assertEquals(
    expirationProblem(new Date("2026-03-03T00:00:01Z"), NOW),
    "is more than 36 hours ahead (2026-03-03T00:00:01Z)",
  );
  assertEquals(expirationProblem(new Date(1e20 * 1000), NOW), "is not a valid time");
});
