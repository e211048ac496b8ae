/**
 * A lossless, line-based reader for the AWS config and credentials files. Every line keeps its exact text
 * and its own line ending, so `renderIni(parseIni(text)) === text` for any input. Lines are classified the way
 * botocore reads them (Python's `configparser` in strict mode, as the AWS CLI and boto3 use it), because
 * botocore is the strictest reader: a file it rejects breaks the AWS CLI for every profile.
 *
 * @module
 */

import { WeepError } from "../../errors.ts";

/** How a line ends. A lone CR ends a line for Python only; `""` is a last line without a newline. */
export type LineEnding = "\n" | "\r\n" | "\r" | "";

/** Why botocore rejects a line. */
export type InvalidReason = "no-section" | "no-delimiter" | "empty-key";

interface LineBase {
  /** The line's text without its line ending. */
  text: string;
  eol: LineEnding;
}

/** One line of the file with what botocore sees in it. */
export type IniLine =
  | LineBase & { kind: "blank" }
  | LineBase & { kind: "comment" }
  | LineBase & { kind: "header"; header: string }
  | LineBase & { kind: "key"; key: string; value: string; indent: number }
  | LineBase & { kind: "continuation"; value: string }
  | LineBase & { kind: "invalid"; reason: InvalidReason };

/** A parsed file: an optional UTF-8 byte order mark and the lines. */
export interface IniDocument {
  bom: boolean;
  lines: IniLine[];
}

/** The UTF-8 byte order mark, as the first character of a text. */
export const BOM = "\uFEFF";

// configparser's SECTCRE: `\[(?P<header>.+)\]`, matched at the start; greedy, so it ends at the last `]`.
const SECTION = /^\[([^\n]+)\]/;

/** Whether the UTF-16 code unit `c` is whitespace to Python's `str.isspace()` (configparser's `strip()`). */
function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 ||
    c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Python's `str.strip()`. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpace(text.charCodeAt(start))) start++;
  while (end > start && isPySpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Python's `str.rstrip()`. */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** The number of leading whitespace characters, as configparser counts indentation. */
export function indentOf(text: string): number {
  let indent = 0;
  while (indent < text.length && isPySpace(text.charCodeAt(indent))) indent++;
  return indent === text.length ? 0 : indent;
}

/**
 * Calls `visit` with each line of `text` from offset `from`, and its ending (LF, CRLF or a lone CR, as Python
 * reads them). Allocates nothing but the lines' text.
 */
function eachLine(text: string, from: number, visit: (line: string, eol: LineEnding) => void): void {
  let lf = text.indexOf("\n", from);
  let cr = text.indexOf("\r", from);
  for (let start = from; start < text.length;) {
    if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
    if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
    let end = text.length;
    let eol: LineEnding = "";
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      end = cr;
      eol = lf === cr + 1 ? "\r\n" : "\r";
    } else if (lf !== -1) {
      end = lf;
      eol = "\n";
    }
    visit(text.slice(start, end), eol);
    start = end + eol.length;
  }
}

/** Splits `text` into lines, each with its own ending (LF, CRLF or a lone CR, as Python reads them). */
export function splitLines(text: string): { text: string; eol: LineEnding }[] {
  const out: { text: string; eol: LineEnding }[] = [];
  eachLine(text, 0, (line, eol) => out.push({ text: line, eol }));
  return out;
}

/**
 * Reads the text of an AWS config or credentials file line by line, calling `visit` with each line in order;
 * returns whether the text starts with a byte order mark. Keeps nothing: {@linkcode parseIni} collects the
 * lines, and a check of a whole file can look at each line once and let it go.
 */
export function readIniLines(text: string, visit: (line: IniLine) => void): { bom: boolean } {
  const bom = text.startsWith(BOM);
  // The same state configparser keeps while reading: inside a section, a key open for continuation lines,
  // and the indentation of the line that opened it.
  let inSection = false;
  let keyOpen = false;
  let indentLevel = 0;
  eachLine(text, bom ? 1 : 0, (line, eol) => {
    const indent = indentOf(line);
    const stripped = indent === 0 ? pyRstrip(line) : pyStrip(line);
    if (stripped === "" || isComment(stripped)) {
      visit(lineAlone(line, eol, stripped, indent));
      return;
    }
    if (inSection && keyOpen && indent > indentLevel) {
      visit({ text: line, eol, kind: "continuation", value: stripped });
      return;
    }
    indentLevel = indent;
    const read = lineAlone(line, eol, stripped, indent);
    if (read.kind === "header") {
      inSection = true;
      keyOpen = false;
    } else if (!inSection) {
      visit({ text: line, eol, kind: "invalid", reason: "no-section" });
      return;
    } else if (read.kind === "key") keyOpen = true;
    // configparser keeps the previous key open after a line without a delimiter.
    else if (read.kind === "invalid" && read.reason === "empty-key") keyOpen = false;
    visit(read);
  });
  return { bom };
}

/**
 * A line of text read again, as {@linkcode readIniLines} read it in its place: `kind` (and an invalid line's
 * `reason`) say what configparser's state made of it; the rest follows from the text.
 */
export function rereadLine(
  text: string,
  eol: LineEnding,
  kind: IniLine["kind"],
  reason?: InvalidReason,
): IniLine {
  if (kind === "continuation") return { text, eol, kind, value: pyStrip(text) };
  if (kind === "invalid" && reason === "no-section") return { text, eol, kind, reason };
  const indent = indentOf(text);
  return lineAlone(text, eol, indent === 0 ? pyRstrip(text) : pyStrip(text), indent);
}

/**
 * One string for each of the few key names a file repeats on every profile (`credential_process`, `region`):
 * a file of 100,000 profiles then holds one copy of each, not 100,000.
 */
function shared(key: string): string {
  const known = KEY_NAMES.get(key);
  if (known !== undefined) return known;
  if (KEY_NAMES.size < 256) KEY_NAMES.set(key, key);
  return key;
}

const KEY_NAMES = new Map<string, string>();

function isComment(stripped: string): boolean {
  const first = stripped.charCodeAt(0);
  return first === 0x23 || first === 0x3b; // # and ;
}

/** What a line is whatever comes before it: blank, comment, header, or a setting (or a bad one) in a section. */
function lineAlone(text: string, eol: LineEnding, stripped: string, indent: number): IniLine {
  if (stripped === "") return { text, eol, kind: "blank" };
  if (isComment(stripped)) return { text, eol, kind: "comment" };
  const section = stripped.charCodeAt(0) === 0x5b ? SECTION.exec(stripped) : null; // [
  if (section !== null) return { text, eol, kind: "header", header: section[1] ?? "" };
  const delimiter = stripped.search(/[=:]/);
  if (delimiter < 0) return { text, eol, kind: "invalid", reason: "no-delimiter" };
  const key = shared(pyStrip(stripped.slice(0, delimiter)).toLowerCase());
  if (key === "") return { text, eol, kind: "invalid", reason: "empty-key" };
  return { text, eol, kind: "key", key, value: pyStrip(stripped.slice(delimiter + 1)), indent };
}

/**
 * Parses the text of an AWS config or credentials file. Never fails: lines botocore would reject come back
 * as `invalid` lines (see `checkIni` in `ini_sections.ts` for the full rules).
 */
export function parseIni(text: string): IniDocument {
  const lines: IniLine[] = [];
  const { bom } = readIniLines(text, (line) => lines.push(line));
  return { bom, lines };
}

/** Turns a document back into text, byte for byte as it was read (plus any edits made to its lines). */
export function renderIni(doc: IniDocument): string {
  const parts: string[] = doc.bom ? [BOM] : [];
  for (const line of doc.lines) parts.push(line.text, line.eol);
  return parts.join("");
}

/** The line ending to use for new lines: CRLF when most lines use it, otherwise LF. */
export function newLineFor(lines: readonly { eol: LineEnding }[]): "\n" | "\r\n" {
  let crlf = 0;
  let lf = 0;
  for (const line of lines) {
    if (line.eol === "\r\n") crlf++;
    else if (line.eol === "\n") lf++;
  }
  return newLineOf({ crlf, lf });
}

/** The line ending for new lines of a file with `crlf` lines ending in CRLF and `lf` in LF. */
export function newLineOf(counts: { crlf: number; lf: number }): "\n" | "\r\n" {
  return counts.crlf > counts.lf ? "\r\n" : "\n";
}

/**
 * Decodes the bytes of a config or credentials file for {@linkcode parseIni}: strict UTF-8 (a file that is
 * not UTF-8 cannot be edited without damage) and the byte order mark kept, so writing the text back gives
 * the same bytes. `label` names the file in the error.
 */
export function decodeIniBytes(bytes: Uint8Array, label: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (cause) {
    throw new WeepError(`Cannot read "${label}": it is not valid UTF-8 text`, {
      hints: ["Save the file as UTF-8, then run the command again"],
      cause,
    });
  }
}
