/**
 * Small assertions (the std assert module is on JSR, which this project cannot reach); deep equality is
 * Node's `assert/strict`, which Deno has built in.
 *
 * @module
 */

import { AssertionError, deepStrictEqual } from "node:assert/strict";

/** Throws when `condition` is false. */
export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  if (!condition) throw new Error(message);
}

/**
 * Deep strict equality, by Node's `assert.deepStrictEqual` (built into Deno): types, prototypes, Map and Set
 * contents, Dates and typed arrays all count. Shows both values on failure.
 */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  try {
    deepStrictEqual(actual, expected);
  } catch (error) {
    if (!(error instanceof AssertionError)) throw error;
    throw new Error(
      `${message ? message + ": " : ""}values differ\n  actual:   ${show(actual)}\n  expected: ${
        show(expected)
      }`,
    );
  }
}

/** Asserts that `text` contains `part`. */
export function assertStringIncludes(text: string, part: string, message?: string): void {
  if (!text.includes(part)) {
    throw new Error(`${message ? message + ": " : ""}expected to find ${show(part)} in:\n${text}`);
  }
}

/** Asserts that `text` matches `pattern`. */
export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(text)) {
    throw new Error(`${message ? message + ": " : ""}expected ${pattern} to match:\n${text}`);
  }
}

/** Asserts that `fn` rejects with an error whose message includes `part`; returns the error. */
export async function assertRejects(fn: () => Promise<unknown>, part?: string): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof Error)) throw new Error(`expected an Error, got ${show(error)}`);
    if (part !== undefined) assertStringIncludes(error.message, part);
    return error;
  }
  throw new Error("expected the call to reject");
}

/** Asserts that `fn` throws an error whose message includes `part`; returns the error. */
export function assertThrows(fn: () => unknown, part?: string): Error {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Error)) throw new Error(`expected an Error, got ${show(error)}`);
    if (part !== undefined) assertStringIncludes(error.message, part);
    return error;
  }
  throw new Error("expected the call to throw");
}

function show(value: unknown): string {
  try {
    return typeof value === "string" ? JSON.stringify(value) : Deno.inspect(value, { depth: 6 });
  } catch {
    return String(value);
  }
}
