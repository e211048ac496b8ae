/**
 * The one function that makes text from outside weep (ConsoleMe, STS, a proxy, a file another program wrote)
 * safe for a terminal: control characters, C1 codes and the characters that reorder text are shown as `?`, so
 * that such text can never move the cursor, clear the screen, start a new log line or disguise itself. Every
 * log line, report, table and picker row passes through it. Free of imports.
 *
 * @module
 */

// C0 controls (NUL, ESC, CR, LF, TAB ...), DEL, C1 controls, Arabic letter mark, LRM/RLM, the bidi embeddings,
// overrides and isolates, and the line and paragraph separators.
// deno-lint-ignore no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every character that could drive a terminal or forge a line shown as `?`. */
export function outsideText(text: string): string {
  return text.replace(UNSAFE, "?");
}
