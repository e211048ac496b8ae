/**
 * A type-to-filter list picker for the terminal, as pure functions: keystrokes in, state and screen text out.
 * `picker_tty.ts` is the I/O around it (raw stdin, stderr). Every term typed must occur in an item's search
 * text; arrows (or Ctrl-P/Ctrl-N) move, Enter chooses, Esc or Ctrl-C cancels.
 *
 * @module
 */

import { outsideText } from "./outside_text.ts";

/** One choice: the columns shown, the text searched, and the value chosen. */
export interface PickerItem {
  columns: readonly string[];
  /** Lower-cased text every typed term is looked for in. */
  search: string;
  value: string;
}

/** A key the picker understands. */
export type PickerKey =
  | { kind: "text"; text: string }
  | {
    kind:
      | "backspace"
      | "clear"
      | "delete-word"
      | "up"
      | "down"
      | "page-up"
      | "page-down"
      | "enter"
      | "cancel";
  };

/** Where the picker is. */
export interface PickerState {
  query: string;
  /** Indexes into the items that match `query`, in item order. */
  matches: number[];
  /** Index into `matches` of the highlighted row. */
  selected: number;
  /** Index into `matches` of the first row shown. */
  top: number;
}

/** How many rows the picker shows at once. */
export const PICKER_ROWS = 10;

/** The indexes of the items whose search text contains every whitespace-separated term of `query`. */
export function matchItems(items: readonly PickerItem[], query: string): number[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: number[] = [];
  items.forEach((item, i) => {
    if (terms.every((term) => item.search.includes(term))) out.push(i);
  });
  return out;
}

/** The state before any key. */
export function initialState(items: readonly PickerItem[]): PickerState {
  return { query: "", matches: matchItems(items, ""), selected: 0, top: 0 };
}

/** Splits raw terminal input into keys (escape sequences, control keys, text); unknown sequences are dropped. */
export function parseKeys(input: string): PickerKey[] {
  const keys: PickerKey[] = [];
  const sequences: Record<string, PickerKey["kind"]> = {
    "[A": "up",
    "OA": "up",
    "[B": "down",
    "OB": "down",
    "[5~": "page-up",
    "[6~": "page-down",
  };
  for (let i = 0; i < input.length;) {
    const char = input[i]!;
    if (char === "\x1b") {
      const rest = /^(\[[0-9;]*[~A-Za-z]|O[A-Za-z])/.exec(input.slice(i + 1));
      if (rest === null) {
        keys.push({ kind: "cancel" });
        i += 1;
      } else {
        const kind = sequences[rest[1]!];
        if (kind !== undefined) keys.push({ kind } as PickerKey);
        i += 1 + rest[1]!.length;
      }
      continue;
    }
    const code = char.charCodeAt(0);
    const control: Record<number, PickerKey["kind"]> = {
      0x03: "cancel",
      0x04: "cancel",
      0x08: "backspace",
      0x7f: "backspace",
      0x0d: "enter",
      0x0a: "enter",
      0x10: "up",
      0x0e: "down",
      0x09: "down",
      0x15: "clear",
      0x17: "delete-word",
    };
    if (code < 0x20 || code === 0x7f) {
      const kind = control[code];
      if (kind !== undefined) keys.push({ kind } as PickerKey);
    } else {
      const last = keys.at(-1);
      if (last?.kind === "text") last.text += char;
      else keys.push({ kind: "text", text: char });
    }
    i += 1;
  }
  return keys;
}

/** The state after `key`; `{ done }` carries the chosen value, or `undefined` when cancelled. */
export function pickerStep(
  items: readonly PickerItem[],
  state: PickerState,
  key: PickerKey,
): PickerState | { done: string | undefined } {
  const move = (by: number) => {
    const last = Math.max(0, state.matches.length - 1);
    const selected = Math.min(last, Math.max(0, state.selected + by));
    const top = Math.min(selected, Math.max(state.top, selected - PICKER_ROWS + 1));
    return { ...state, selected, top };
  };
  const filter = (query: string) => ({ query, matches: matchItems(items, query), selected: 0, top: 0 });
  switch (key.kind) {
    case "text":
      return filter(state.query + key.text);
    case "backspace":
      return filter([...state.query].slice(0, -1).join(""));
    case "clear":
      return filter("");
    case "delete-word":
      return filter(state.query.replace(/\S*\s*$/, ""));
    case "up":
      return move(-1);
    case "down":
      return move(1);
    case "page-up":
      return move(-PICKER_ROWS);
    case "page-down":
      return move(PICKER_ROWS);
    case "enter": {
      const index = state.matches[state.selected];
      return index === undefined ? state : { done: items[index]!.value };
    }
    case "cancel":
      return { done: undefined };
  }
}

/** Fits `text` into `width` columns (one column per code point; longer text ends with `…`). */
function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, Math.max(0, width - 1)).join("") + "…";
}

/**
 * The screen for `state`, drawn from the start of the prompt line: prompt and query, up to
 * {@linkcode PICKER_ROWS} rows (the highlighted one marked `>` and in reverse video), a count line; the cursor
 * ends after the query. No line is wider than `width`, so nothing wraps.
 */
export function renderPicker(
  items: readonly PickerItem[],
  state: PickerState,
  options: { prompt: string; width: number },
): string {
  const width = Math.max(20, options.width - 1);
  const widths: number[] = [];
  const shown = state.matches.slice(state.top, state.top + PICKER_ROWS);
  for (const index of shown) {
    items[index]!.columns.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  }
  const prompt = fit(`${options.prompt}${outsideText(state.query)}`, width);
  const lines = shown.map((index, row) => {
    const cells = items[index]!.columns.map((cell, i) => cell.padEnd(widths[i] ?? 0));
    const text = fit(cells.join("  ").trimEnd(), width - 2);
    return state.top + row === state.selected ? `\x1b[7m> ${text}\x1b[0m` : `  ${text}`;
  });
  const status = state.matches.length === 0
    ? "  (none matches; Backspace widens the search, Esc cancels)"
    : `  (${state.matches.length} of ${items.length}; ↑↓ move, Enter chooses, Esc cancels)`;
  lines.push(fit(status, width));
  const back = `\x1b[${lines.length}A\r\x1b[${[...prompt].length}C`;
  return `\r\x1b[J${prompt}\n${lines.join("\n")}${back}`;
}
