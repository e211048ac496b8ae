/**
 * The picker on a real terminal: stdin in raw mode for keystrokes, the screen on stderr (stdout stays free
 * for the command's output, so `eval "$(weep export)"` can pick too). Raw mode is always switched off again.
 *
 * @module
 */

import { InterruptedError } from "../errors.ts";
import { initialState, parseKeys, type PickerItem, pickerStep, renderPicker } from "./picker.ts";
import { outsideText } from "./outside_text.ts";

/** The terminal the picker runs on; tests pass their own. */
export interface PickerTerminal {
  read(buffer: Uint8Array): Promise<number | null>;
  /** Writes screen text (stderr). */
  write(text: string): void;
  setRaw(raw: boolean): void;
  /** The terminal's width in columns. */
  columns(): number;
}

/** This process's terminal: stdin and stderr. */
export function processTerminal(): PickerTerminal {
  const encoder = new TextEncoder();
  return {
    read: (buffer) => Deno.stdin.read(buffer),
    write: (text) => {
      const bytes = encoder.encode(text);
      for (let written = 0; written < bytes.length;) {
        written += Deno.stderr.writeSync(bytes.subarray(written));
      }
    },
    setRaw: (raw) => Deno.stdin.setRaw(raw),
    columns: () => {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return 80;
      }
    },
  };
}

/**
 * Lets the user pick one of `items`; resolves its value. Leaves one line on the screen naming the choice.
 * Throws an {@linkcode InterruptedError} when the user cancels (Esc, Ctrl-C, Ctrl-D), when stdin ends, or when
 * `signal` aborts.
 */
export async function runPicker(
  items: readonly PickerItem[],
  prompt: string,
  terminal: PickerTerminal,
  signal?: AbortSignal,
): Promise<string> {
  let state = initialState(items);
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(1024);
  const restore = () => terminal.setRaw(false);
  terminal.setRaw(true);
  signal?.addEventListener("abort", restore, { once: true });
  let chosen: string | undefined;
  try {
    terminal.write(renderPicker(items, state, { prompt, width: terminal.columns() }));
    reading: while (!signal?.aborted) {
      const count = await terminal.read(buffer);
      if (count === null) break;
      for (const key of parseKeys(decoder.decode(buffer.subarray(0, count), { stream: true }))) {
        const next = pickerStep(items, state, key);
        if ("done" in next) {
          chosen = next.done;
          break reading;
        }
        state = next;
      }
      terminal.write(renderPicker(items, state, { prompt, width: terminal.columns() }));
    }
  } finally {
    restore();
    signal?.removeEventListener("abort", restore);
    terminal.write("\r\x1b[J");
  }
  if (chosen === undefined) throw new InterruptedError("No role chosen");
  terminal.write(`${prompt}${outsideText(chosen)}\n`);
  return chosen;
}
