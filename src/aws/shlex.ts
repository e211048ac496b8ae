/**
 * Python's `shlex.split(text)` (POSIX mode, no comments), which botocore uses to split a section header
 * such as `profile my-name` into its kind and name.
 *
 * @module
 */

const WHITESPACE = " \t\r\n";

/**
 * Splits `text` like Python's `shlex.split`: words separated by whitespace, `'...'` and `"..."` quoting, and
 * backslash escapes. Returns `undefined` where Python raises `ValueError` (an open quote, a trailing `\`).
 */
export function shlexSplit(text: string): string[] | undefined {
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
