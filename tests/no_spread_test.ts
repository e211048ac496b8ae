/**
 * No array is spread into a call's arguments in src/ or scripts/ (`out.push(...xs)`, `Math.max(...xs)`,
 * `String.fromCharCode(...bytes)`): each spread element is one argument on the stack, and a long enough array
 * throws "Maximum call stack size exceeded" (a 100,000-role generate did). Spreads into array and object
 * literals, rest parameters and destructuring are fine. A spread that is bounded by what the code itself holds
 * stays only with a `// spread-ok: WHY` comment on its line.
 */
import { assertEquals } from "./support/assert.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const ALLOW = /\/\/ spread-ok: \S/;

/** A code's text with comments, strings, template text and regular expressions blanked (line breaks kept). */
function codeOnly(source: string): string {
  const out: string[] = [];
  // Open template literals, by the depth of braces at which each one's `${` was opened.
  const templates: number[] = [];
  let braces = 0;
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) out.push(source[k] === "\n" ? "\n" : " ");
  };
  /** Skips a template's text from `i` (inside the backquotes) to its end or its next `${`. */
  const templateText = () => {
    const from = i;
    while (i < source.length && source[i] !== "`" && !(source[i] === "$" && source[i + 1] === "{")) {
      i += source[i] === "\\" ? 2 : 1;
    }
    blank(from, i);
    if (source[i] === "`") {
      out.push(" ");
      i++;
    } else if (i < source.length) {
      out.push("  ");
      i += 2;
      templates.push(braces);
    }
  };
  let previous = ""; // The last character of code that is not a space.
  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const to = end === -1 ? source.length : end;
      blank(i, to);
      i = to;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const to = end === -1 ? source.length : end + 2;
      blank(i, to);
      i = to;
    } else if (c === '"' || c === "'") {
      const from = i++;
      while (i < source.length && source[i] !== c && source[i] !== "\n") i += source[i] === "\\" ? 2 : 1;
      i++;
      blank(from, Math.min(i, source.length));
      previous = "x";
    } else if (c === "`") {
      out.push(" ");
      i++;
      templateText();
      previous = "x";
    } else if (c === "/" && (previous === "" || "(,=:[!&|?{};+-*%<>~^".includes(previous))) {
      // A regular expression literal (a division follows a value).
      const from = i++;
      let inClass = false;
      while (i < source.length && source[i] !== "\n" && (inClass || source[i] !== "/")) {
        if (source[i] === "[") inClass = true;
        else if (source[i] === "]") inClass = false;
        i += source[i] === "\\" ? 2 : 1;
      }
      i++;
      blank(from, Math.min(i, source.length));
      previous = "x";
    } else {
      if (c === "{") braces++;
      if (c === "}") {
        if (templates.at(-1) === braces) {
          templates.pop();
          out.push(" ");
          i++;
          templateText();
          previous = "x";
          continue;
        }
        braces--;
      }
      out.push(c);
      if (!/\s/.test(c)) previous = c;
      i++;
    }
  }
  return out.join("");
}

/**
 * The 1-based lines of `source` with a spread into a call's arguments: `...` right after the `(` or a `,` of
 * a call (an open parenthesis that follows a name, `)`, `]` or `>`), unless it is a rest parameter (`...name:`).
 */
function spreadCalls(source: string): number[] {
  const code = codeOnly(source);
  const lines: number[] = [];
  // Each open bracket, and whether it is a call's parenthesis.
  const open: { bracket: string; call: boolean }[] = [];
  let line = 1;
  let last = ""; // The last character of code that is not a space.
  let word = ""; // The word that ends at `last`, if `last` ends one.
  for (let i = 0; i < code.length; i++) {
    const c = code[i] as string;
    if (c === "\n") line++;
    if (/\s/.test(c)) continue;
    if (c === "(") {
      const keyword = /^(if|for|while|switch|catch|return|typeof|await|function|of|in|new|void)$/.test(word);
      open.push({ bracket: c, call: /[\w$)\]>]/.test(last) && !keyword });
    } else if (c === "[" || c === "{") open.push({ bracket: c, call: false });
    else if (c === ")" || c === "]" || c === "}") open.pop();
    else if (c === "." && code.startsWith("...", i)) {
      const top = open.at(-1);
      const rest = /^\.\.\.[\w$]+\s*\??:/.test(code.slice(i, i + 80));
      if (top?.call && (last === "(" || last === ",") && !rest) lines.push(line);
      last = ".";
      word = "";
      i += 2;
      continue;
    }
    word = /[\w$]/.test(c) ? (/[\w$]/.test(last) ? word + c : c) : "";
    last = c;
  }
  return lines;
}

/** The `.ts` files under `dir`, at any depth. */
async function* typeScriptFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* typeScriptFiles(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

Deno.test("the spread check finds spreads into calls, and nothing else", () => {
  const found = (text: string) => spreadCalls(text).length;
  for (
    const bad of [
      "out.push(...appended);",
      "const width = Math.max(...rows.map((row) => row.key.length));",
      "binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));",
      "f(a, ...b)",
      "call()(...xs)",
      "list[0](...xs)",
      "new Set(...xs)",
      "if (ok) g(x,\n  ...rest);",
    ]
  ) assertEquals(found(bad), 1, bad);
  for (
    const fine of [
      "const all = [...a, ...b];",
      "const o = { ...a, b };",
      "function f(...args: string[]) {}",
      "const f = (...args: string[]) => args;",
      "  redact(...secrets: (string | undefined)[]): void {",
      "const [first, ...rest] = xs;",
      "for (const [program, ...args] of commands) {}",
      "f([...a, ...b])",
      "// out.push(...xs)",
      "const s = 'push(...xs)';",
      "const t = `a ${x} push(...xs) ${`in ${y}`}`;",
      "const r = /push\\(...xs\\)/;",
      "if (...",
    ]
  ) assertEquals(found(fine), 0, fine);
});

Deno.test("no array is spread into a call in src/ or scripts/ (a long one overflows the stack)", async () => {
  const found: string[] = [];
  for (const dir of ["src", "scripts"]) {
    for await (const path of typeScriptFiles(`${ROOT}${dir}`)) {
      const source = await Deno.readTextFile(path);
      const lines = source.split("\n");
      for (const line of spreadCalls(source)) {
        if (ALLOW.test(lines[line - 1] ?? "")) continue;
        found.push(`${path.slice(ROOT.length)}:${line}: ${lines[line - 1]?.trim()}`);
      }
    }
  }
  // A loop (`for (const x of xs) out.push(x)`), or a `// spread-ok: WHY` comment for a bound the code holds.
  assertEquals(found, []);
});
