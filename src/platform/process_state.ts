/**
 * State a process keeps once, whichever copy of a module asks for it. The start of `credential_process` runs
 * from a bundle (`src/cli/fast_start.bundle.js`) that carries its own copies of the modules it needs, and a cache
 * miss goes on in the source modules with what the bundle's copies began: the lock it holds, the notices it
 * said. A module whose state must span both (the locks this process holds, the state-file notices already
 * said) keeps it here.
 *
 * @module
 */

/** The one value named `name` in this process, made by `make` the first time any copy asks. */
export function processState<T>(name: string, make: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`weep.${name}`);
  return store[key] ??= make();
}
