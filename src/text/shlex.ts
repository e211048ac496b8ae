/**
 * Words of a POSIX shell command line: Python's `shlex.split(text)` (POSIX mode, no comments), which botocore
 * uses to split a section header such as `profile my-name` and a `credential_process` line into words; and the
 * one POSIX quoter weep writes shell words with.
 *
 * @module
 */

const WHITESPACE = " \t\r\n";
const QUOTING = /['"\\]/;
const SPACES = /[ \t\r\n]+/;

/**
 * Splits `text` like Python's `shlex.split`: words separated by whitespace, `'...'` and `"..."` quoting, and
 * backslash escapes. Returns `undefined` where Python raises `ValueError` (an open quote, a trailing `\`).
 */
export function shlexSplit(text: string): string[] | undefined {
  // Without quotes or backslashes, words are what lies between whitespace: the common case, done natively.
  if (!QUOTING.test(text)) return text.split(SPACES).filter((word) => word !== "");
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) word += text[++i];
      else if (char === "\\" && i + 1 >= text.length) return undefined;
      else word += char;
    } else if (WHITESPACE.includes(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      inWord = true;
      if (char === "'" || char === '"') quote = char;
      else if (char === "\\") {
        if (i + 1 >= text.length) return undefined;
        word += text[++i];
      } else word += char;
    }
  }
  if (quote !== undefined) return undefined;
  if (inWord) words.push(word);
  return words;
}

/** Quotes `value` as one word for a POSIX shell: single quotes, each `'` written as `'\''`. */
export function quotePosix(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Characters a word may hold unquoted: every shell, cmd.exe and botocore's shlex read them as one word. */
const SAFE_WORD = /^[A-Za-z0-9_+=,.@:\/-]+$/;

/** Whether `word` can stand unquoted in a command line: letters, digits and `_+=,.@:/-` only. */
export function isSafeWord(word: string): boolean {
  return SAFE_WORD.test(word);
}
