/**
 * Plain-text tables for people: a header row and left-aligned columns separated by two spaces, no borders,
 * no trailing spaces. Used by `list`, `search` and `info`.
 *
 * @module
 */

import { outsideText } from "./outside_text.ts";

/**
 * Renders `rows` under `headers` as aligned columns (each as wide as its widest cell, two spaces apart), one
 * line per row, ending with a newline. Cells pass through `outsideText`: control characters become `?`, so a
 * cell never spans lines or moves the cursor.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const clean = (cell: string | undefined) => outsideText(cell ?? "");
  const all = [headers.map(clean), ...rows.map((row) => headers.map((_, i) => clean(row[i])))];
  const widths = headers.map(() => 0);
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length)));
  return all
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd()
    )
    .join("\n") + "\n";
}
