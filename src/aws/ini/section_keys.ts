/**
 * The keys of one section of an AWS config or credentials file, for the config editor.
 *
 * @module
 */

/**
 * A section's keys and values, in file order, each key once: what a `Map` of them gives (`get`, `has`, `size`,
 * iteration), kept as one small array. A file may hold 100,000 sections of one or two keys each, and a `Map`
 * apiece costs several times the memory and the time.
 */
export class SectionKeys implements Iterable<[string, string]> {
  // Keys at even indexes, each followed by its value.
  readonly #items: string[] = [];

  /** The number of keys. */
  get size(): number {
    return this.#items.length >> 1;
  }

  /** The value of `key`, if the section has it. */
  get(key: string): string | undefined {
    const items = this.#items;
    for (let i = 0; i < items.length; i += 2) if (items[i] === key) return items[i + 1];
    return undefined;
  }

  /** Whether the section has `key`. */
  has(key: string): boolean {
    const items = this.#items;
    for (let i = 0; i < items.length; i += 2) if (items[i] === key) return true;
    return false;
  }

  /** Sets `key` to `value`: in its place when the section has it, else after the others. */
  set(key: string, value: string): this {
    const items = this.#items;
    for (let i = 0; i < items.length; i += 2) {
      if (items[i] === key) {
        items[i + 1] = value;
        return this;
      }
    }
    items.push(key, value);
    return this;
  }

  /** The keys, in file order. */
  *keys(): Generator<string> {
    for (let i = 0; i < this.#items.length; i += 2) yield this.#items[i] as string;
  }

  /** The keys and their values, in file order. */
  *[Symbol.iterator](): Generator<[string, string]> {
    for (let i = 0; i < this.#items.length; i += 2) {
      yield [this.#items[i] as string, this.#items[i + 1] as string];
    }
  }
}
