/**
 * The text of a planned edit of an AWS config or credentials file, for the config editor: the file's own bytes
 * where nothing changes, the rewritten sections, and the new profiles at the end, each after a blank line. Pure.
 *
 * @module
 */

import { BOM, type IniLine } from "./ini_parse.ts";
import type { FileKind, IniSection } from "./ini_sections.ts";
import type { Lines, LineTable } from "./line_table.ts";
import { markerLine } from "./profile_marker.ts";
import { profileHeader } from "./profile_name.ts";
import type { DesiredProfile } from "./profile_match.ts";

/** Lines `[from, to)` of the file become `lines`. */
export interface Edit {
  from: number;
  to: number;
  lines: IniLine[];
}

/**
 * The edit that removes `section`: its header, marker and keys go, the comments and blank lines after its last
 * key stay (they may be about the next section), and so does the blank line before it, which generate put
 * there: removing what generate added gives back the file as it was. When that blank line ends the `previous`
 * edit (the section before was replaced too), it is taken out of that edit.
 */
export function removal(section: IniSection, lines: Lines, previous: Edit | undefined): Edit {
  const tail: IniLine[] = [];
  for (let i = section.end; i < section.next; i++) tail.push(lines.at(i) as IniLine);
  const before = lines.at(section.start - 1);
  if (before?.kind !== "blank") return { from: section.start, to: section.next, lines: tail };
  if (previous !== undefined && previous.to > section.start - 1) {
    // The previous edit's lines end with the ones between its section and this one, the blank line last.
    if (previous.lines.at(-1)?.kind !== "blank") {
      return { from: section.start, to: section.next, lines: tail };
    }
    previous.lines.pop();
    previous.to = section.start - 1;
  }
  return { from: section.start - 1, to: section.next, lines: tail };
}

const BLOCK_PARTS = 8192;

/**
 * The new text: the file's own bytes where nothing changed (runs of lines sliced from `text`), the `edits`, and
 * the `added` profiles at the end, each after a blank line as people write them.
 */
export function renderPlan(
  text: string,
  bom: boolean,
  lines: LineTable,
  edits: readonly Edit[],
  added: readonly DesiredProfile[],
  how: { kind: FileKind; eol: "\n" | "\r\n"; noFinalNewline: boolean },
): string {
  const { kind, eol } = how;
  const parts: string[] = bom ? [BOM] : [];
  // The last line written: the last part ends with its line ending.
  let lastLine: Pick<IniLine, "eol"> | undefined;
  const copy = (from: number, to: number) => {
    if (from >= to) return;
    parts.push(text.slice(lines.start(from), lines.start(to)));
    if (to === lines.length && how.noFinalNewline) {
      parts.push(eol);
      lastLine = { eol };
    } else lastLine = lines.at(to - 1);
  };
  let next = 0;
  for (const edit of edits) {
    copy(next, edit.from);
    for (const line of edit.lines) {
      parts.push(line.text, line.eol);
      lastLine = line;
    }
    next = edit.to;
  }
  copy(next, lines.length);
  // The new profiles in blocks of text: a few large strings, not a million small ones, wait to be joined.
  let block: string[] = [];
  for (const profile of added) {
    if (lastLine !== undefined) block.push(eol);
    block.push(profileHeader(profile.name, kind), eol, markerLine(profile.owner), eol);
    for (const [key, value] of profile.keys) block.push(key, " = ", value, eol);
    for (const [key, value] of profile.initialKeys ?? []) block.push(key, " = ", value, eol);
    lastLine = { eol };
    if (block.length >= BLOCK_PARTS) {
      parts.push(block.join(""));
      block = [];
    }
  }
  if (block.length > 0) parts.push(block.join(""));
  if (how.noFinalNewline && lastLine !== undefined) {
    const end = parts.pop() as string;
    parts.push(end.slice(0, end.length - lastLine.eol.length));
  }
  return parts.join("");
}
