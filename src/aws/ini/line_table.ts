/**
 * The lines of a file the editor keeps while it plans: where each line starts in the text, its kind and its
 * ending, a few bytes a line. A line is made again (`rereadLine`) only when the plan looks at it, which is
 * only for the sections it changes: a file of 100,000 profiles is not kept as 300,000 objects.
 *
 * @module
 */

import { type IniLine, type InvalidReason, type LineEnding, rereadLine } from "./ini_parse.ts";

/** Lines by index, as an array of lines also is. */
export interface Lines {
  readonly length: number;
  at(index: number): IniLine | undefined;
}

const KINDS: readonly IniLine["kind"][] = ["blank", "comment", "header", "key", "continuation", "invalid"];
const REASONS: readonly InvalidReason[] = ["no-section", "no-delimiter", "empty-key"];
const ENDINGS: readonly LineEnding[] = ["", "\n", "\r\n", "\r"];

/** The lines of `text`, recorded as they are read (see {@linkcode LineTable.add}). */
export class LineTable implements Lines {
  readonly #text: string;
  #starts: Uint32Array;
  // Per line: the kind's index, the invalid reason's index times 8, the ending's index times 32.
  #codes: Uint8Array;
  #length = 0;
  #end: number;

  /** An empty table for `text`, whose first line starts at `from` (after a byte order mark). */
  constructor(text: string, from: number) {
    this.#text = text;
    this.#starts = new Uint32Array(1024);
    this.#codes = new Uint8Array(1024);
    this.#end = from;
  }

  /** Records the next line of the text, as read. */
  add(line: IniLine): void {
    if (this.#length === this.#codes.length) {
      const starts = new Uint32Array(this.#length * 2);
      starts.set(this.#starts);
      this.#starts = starts;
      const codes = new Uint8Array(this.#length * 2);
      codes.set(this.#codes);
      this.#codes = codes;
    }
    const reason = line.kind === "invalid" ? REASONS.indexOf(line.reason) : 0;
    this.#starts[this.#length] = this.#end;
    this.#codes[this.#length] = KINDS.indexOf(line.kind) + reason * 8 + ENDINGS.indexOf(line.eol) * 32;
    this.#length++;
    this.#end += line.text.length + line.eol.length;
  }

  /** The number of lines. */
  get length(): number {
    return this.#length;
  }

  /** Where line `index` starts in the text (the text's end for `length`). */
  start(index: number): number {
    return index >= this.#length ? this.#end : this.#starts[index] as number;
  }

  /** Line `index`, made again from the text. */
  at(index: number): IniLine | undefined {
    if (index < 0 || index >= this.#length) return undefined;
    const code = this.#codes[index] as number;
    const eol = ENDINGS[code >> 5] as LineEnding;
    const text = this.#text.slice(this.start(index), this.start(index + 1) - eol.length);
    return rereadLine(text, eol, KINDS[code & 7] as IniLine["kind"], REASONS[(code >> 3) & 3]);
  }

  /** How many lines end with CRLF, and how many with LF. */
  endings(): { crlf: number; lf: number } {
    let crlf = 0;
    let lf = 0;
    for (let i = 0; i < this.#length; i++) {
      const eol = (this.#codes[i] as number) >> 5;
      if (eol === 2) crlf++;
      else if (eol === 1) lf++;
    }
    return { crlf, lf };
  }
}
