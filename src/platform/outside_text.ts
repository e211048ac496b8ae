/**
 * The one function that makes text from outside weep (ConsoleMe, STS, a proxy, a file another program wrote)
 * safe for a terminal: line breaks and tabs become one space, and every other control character, C1 code and
 * character that reorders text is shown as `?`, so that such text can never move the cursor, clear the screen,
 * start a new log line or disguise itself. Every log line, report, table and picker row passes through it.
 * Free of imports.
 *
 * @module
 */

/** Line breaks and tabs (LF, CR, TAB, VT, FF, NEL, the Unicode line and paragraph separators) and the space around them. */
const BREAKS = /\s*[\t\n\v\f\r\u0085\u2028\u2029]\s*/g;
// The other C0 controls (NUL, ESC, BEL ...), DEL, C1 controls, the Arabic letter mark, LRM/RLM, and the bidi
// embeddings, overrides and isolates.
// deno-lint-ignore no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` on one line that cannot drive a terminal: each line break or tab (and the space around it) becomes one space, every
 * other control or text-reordering character `?`.
 */
export function outsideText(text: string): string {
  return text.replace(BREAKS, " ").replace(UNSAFE, "?");
}
