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

const BOM = "\uFEFF";

// Python's str.isspace() set, which configparser's strip() and `\s` use (not the same as JavaScript's `\s`).
const PY_SPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_LEADING = new RegExp(`^[${PY_SPACE}]+`);
const PY_TRAILING = new RegExp(`[${PY_SPACE}]+$`);
const PY_NON_SPACE = new RegExp(`[^${PY_SPACE}]`);
// configparser's SECTCRE: `\[(?P<header>.+)\]`, matched at the start; greedy, so it ends at the last `]`.
const SECTION = /^\[([^\n]+)\]/;

/** Python's `str.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(PY_LEADING, "").replace(PY_TRAILING, "");
}

/** Python's `str.rstrip()`. */
export function pyRstrip(text: string): string {
  return text.replace(PY_TRAILING, "");
}

/** The number of leading whitespace characters, as configparser counts indentation. */
export function indentOf(text: string): number {
  const match = PY_NON_SPACE.exec(text);
  return match === null ? 0 : match.index;
}

/** Splits `text` into lines, each with its own ending (LF, CRLF or a lone CR, as Python reads them). */
export function splitLines(text: string): { text: string; eol: LineEnding }[] {
  const out: { text: string; eol: LineEnding }[] = [];
  const breaks = /\r\n|\n|\r/g;
  let start = 0;
  for (let match = breaks.exec(text); match !== null; match = breaks.exec(text)) {
    out.push({ text: text.slice(start, match.index), eol: match[0] as LineEnding });
    start = match.index + match[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), eol: "" });
  return out;
}

/**
 * Parses the text of an AWS config or credentials file. Never fails: lines botocore would reject come back
 * as `invalid` lines (see `checkIni` in `ini_sections.ts` for the full rules).
 */
export function parseIni(text: string): IniDocument {
  const bom = text.startsWith(BOM);
  const lines: IniLine[] = [];
  // The same state configparser keeps while reading: inside a section, a key open for continuation lines,
  // and the indentation of the line that opened it.
  let inSection = false;
  let keyOpen = false;
  let indentLevel = 0;
  for (const { text: line, eol } of splitLines(bom ? text.slice(1) : text)) {
    const stripped = pyStrip(line);
    if (stripped.startsWith("#") || stripped.startsWith(";")) {
      lines.push({ text: line, eol, kind: "comment" });
      continue;
    }
    if (stripped === "") {
      lines.push({ text: line, eol, kind: "blank" });
      continue;
    }
    const indent = indentOf(line);
    if (inSection && keyOpen && indent > indentLevel) {
      lines.push({ text: line, eol, kind: "continuation", value: stripped });
      continue;
    }
    indentLevel = indent;
    const section = SECTION.exec(stripped);
    if (section !== null) {
      lines.push({ text: line, eol, kind: "header", header: section[1] ?? "" });
      inSection = true;
      keyOpen = false;
    } else if (!inSection) {
      lines.push({ text: line, eol, kind: "invalid", reason: "no-section" });
    } else {
      const delimiter = stripped.search(/[=:]/);
      if (delimiter < 0) {
        // configparser keeps the previous key open after a bad line.
        lines.push({ text: line, eol, kind: "invalid", reason: "no-delimiter" });
        continue;
      }
      const key = pyStrip(stripped.slice(0, delimiter)).toLowerCase();
      if (key === "") {
        lines.push({ text: line, eol, kind: "invalid", reason: "empty-key" });
        keyOpen = false;
        continue;
      }
      const value = pyStrip(stripped.slice(delimiter + 1));
      lines.push({ text: line, eol, kind: "key", key, value, indent });
      keyOpen = true;
    }
  }
  return { bom, lines };
}

/** Turns a document back into text, byte for byte as it was read (plus any edits made to its lines). */
export function renderIni(doc: IniDocument): string {
  let out = doc.bom ? BOM : "";
  for (const line of doc.lines) out += line.text + line.eol;
  return out;
}

/** The line ending to use for new lines: CRLF when most lines use it, otherwise LF. */
export function newLineFor(lines: readonly { eol: LineEnding }[]): "\n" | "\r\n" {
  let crlf = 0;
  let lf = 0;
  for (const line of lines) {
    if (line.eol === "\r\n") crlf++;
    else if (line.eol === "\n") lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
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
