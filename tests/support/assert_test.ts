import { assertEquals, assertThrows } from "./assert.ts";

Deno.test("assertEquals tells Maps, Sets, Dates and arrays apart by their contents", () => {
  assertEquals(new Map([["a", 1]]), new Map([["a", 1]]));
  assertThrows(() => assertEquals(new Map([["a", 1]]), new Map([["a", 2]])), "values differ");
  assertThrows(() => assertEquals(new Map<string, number>(), new Map([["a", 1]])), "values differ");
  assertEquals(new Set([1, 2]), new Set([2, 1]));
  assertThrows(() => assertEquals(new Set([1]), new Set([2])), "values differ");
  assertThrows(() => assertEquals(new Date(0), new Date(1)), "values differ");
  assertThrows(() => assertEquals<unknown>([1, 2], { 0: 1, 1: 2 }), "values differ");
  assertThrows(() => assertEquals<unknown>({ a: undefined }, {}), "values differ");
  assertThrows(() => assertEquals<unknown>(1, "1"), "values differ");
  assertThrows(() => assertEquals(new Uint8Array([1]), new Uint8Array([2])), "values differ");
  assertEquals({ a: [1, { b: new Set(["x"]) }] }, { a: [1, { b: new Set(["x"]) }] });
});

Deno.test("assertEquals names the message and both values when they differ", () => {
  const error = assertThrows(() => assertEquals({ n: 1 }, { n: 2 }, "case 3"));
  assertEquals(
    error.message.startsWith("case 3: values differ\n  actual:   { n: 1 }\n  expected: { n: 2 }"),
    true,
  );
});
