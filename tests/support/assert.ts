/**
 * Small assertions (the std assert module is on JSR, which this project cannot reach).
 *
 * @module
 */

/** Throws when `condition` is false. */
export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  if (!condition) throw new Error(message);
}

/** Deep equality via JSON-like structural comparison; shows both values on failure. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  if (!deepEqual(actual, expected)) {
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

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function show(value: unknown): string {
  try {
    return typeof value === "string" ? JSON.stringify(value) : Deno.inspect(value, { depth: 6 });
  } catch {
    return String(value);
  }
}
