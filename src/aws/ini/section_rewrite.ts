/**
 * The new lines of one section weep updates in place, for the config editor: the header (renamed in place),
 * weep's marker, weep's keys replaced where they are and missing ones added, every other line kept. Pure.
 *
 * @module
 */

import { indentOf, type IniLine, type LineEnding } from "./ini_parse.ts";
import { type FileKind, type IniSection, keyRange } from "./ini_sections.ts";
import type { Lines } from "./line_table.ts";
import { markerLine, sameOwner } from "./profile_marker.ts";
import { profileHeader } from "./profile_name.ts";
import type { SectionAction } from "./profile_match.ts";

/** An update of a section (see `matchProfiles`). */
export type SectionUpdate = Extract<SectionAction, { kind: "update" }>;

/** The desired profile's initial keys a section lacks, when weep takes the section over (never otherwise). */
export function initialKeysFor(section: IniSection, action: SectionUpdate): (readonly [string, string])[] {
  if (!action.adopt) return [];
  return (action.profile.initialKeys ?? []).filter(([key]) => !section.keys.has(key));
}

/** A new line of `text`; its kind is not used again (a planned text is read afresh). */
export function newLine(text: string, eol: LineEnding): IniLine {
  return { text, eol, kind: "comment" };
}

/**
 * The section's new lines: the header (renamed in place, anything after its `]` kept), weep's marker, weep's
 * keys replaced where they are, missing ones after the last key; `undefined` when every line stays as it is.
 * `lines` are the file's lines, the last one ending with `eol` like the others.
 */
export function rewriteSection(
  lines: Lines,
  section: IniSection,
  action: SectionUpdate,
  kind: FileKind,
  eol: "\n" | "\r\n",
): IniLine[] | undefined {
  if (isUpToDate(section, action)) return undefined;
  const { profile } = action;
  const header = lines.at(section.start) as IniLine;
  const out: IniLine[] = [header];
  if (action.rename) {
    out[0] = newLine(
      profileHeader(profile.name, kind) + header.text.slice(header.text.lastIndexOf("]") + 1),
      header.eol,
    );
  }
  let i = section.start + 1;
  if (section.managed) {
    const current = lines.at(i++) as IniLine;
    out.push(keepsMarker(section, action) ? current : newLine(markerLine(profile.owner), current.eol));
  } else out.push(newLine(markerLine(profile.owner), eol));
  // Weep's keys by the line they start at, with where they end.
  const starts = new Map<number, { entry: readonly [string, string]; end: number }>();
  const missing: (readonly [string, string])[] = [];
  for (const entry of profile.keys) {
    const range = keyRange(lines, section, entry[0]);
    if (range === undefined) missing.push(entry);
    else starts.set(range[0], { entry, end: range[1] });
  }
  for (const entry of initialKeysFor(section, action)) missing.push(entry);
  while (i < section.end) {
    const start = starts.get(i);
    const current = lines.at(i) as IniLine;
    if (start === undefined) {
      out.push(current);
      i++;
      continue;
    }
    const { entry, end } = start;
    if (current.kind === "key" && current.value === entry[1] && end === i + 1) out.push(current);
    else {
      const indent = current.text.slice(0, indentOf(current.text));
      out.push(newLine(`${indent}${entry[0]} = ${entry[1]}`, (lines.at(end - 1) as IniLine).eol));
    }
    i = end;
  }
  // New keys must not turn an indented header that follows into their continuation line.
  const following = lines.at(section.next);
  const indent = following === undefined ? "" : following.text.slice(0, indentOf(following.text));
  for (const [key, value] of missing) out.push(newLine(`${indent}${key} = ${value}`, eol));
  for (i = section.end; i < section.next; i++) out.push(lines.at(i) as IniLine);
  return out;
}

/**
 * Whether {@linkcode rewriteSection} would give back the section's own lines: same name, weep's marker for
 * this owner, each of weep's keys with its value, none missing. Looks at no line: a run that
 * changes nothing asks this once per profile.
 */
function isUpToDate(section: IniSection, action: SectionUpdate): boolean {
  if (action.rename || !section.managed) return false;
  if (!keepsMarker(section, action)) return false;
  // A value with continuation lines holds a line break: an equal value reads back as desired either way.
  const keys = action.profile.keys;
  for (let i = 0; i < keys.length; i++) {
    const [key, value] = keys[i] as readonly [string, string];
    if (section.keys.get(key) !== value) return false;
  }
  if (!action.adopt) return true;
  for (const [key] of action.profile.initialKeys ?? []) if (!section.keys.has(key)) return false;
  return true;
}

/**
 * Whether a managed section's marker stays byte for byte: it names the profile's owner already, or the profile
 * has no owner (any marker will do).
 */
function keepsMarker(section: IniSection, action: SectionUpdate): boolean {
  const owner = action.profile.owner;
  return owner === undefined || sameOwner(section.owner, owner);
}
