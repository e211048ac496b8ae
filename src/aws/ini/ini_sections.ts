/**
 * Sections of a parsed AWS config or credentials file as botocore sees them, and the checks that tell
 * whether the file is safe to edit: everything botocore rejects, and profiles defined twice.
 *
 * @module
 */

import { type IniDocument, type IniLine, pyRstrip } from "./ini_parse.ts";
import { shlexSplit } from "../../text/shlex.ts";
import { MANAGED_MARKER, parseMarker, type ProfileOwner } from "./profile_marker.ts";
import { SectionKeys } from "./section_keys.ts";

export { MANAGED_MARKER };

/** Which file a text comes from: `~/.aws/config` (`[profile NAME]`) or `~/.aws/credentials` (`[NAME]`). */
export type FileKind = "config" | "credentials";

/** What a section is to botocore. `defaults` is configparser's `[DEFAULT]`, whose keys every section gets. */
export type SectionKind = "profile" | "sso-session" | "services" | "defaults" | "other";

/** One section with the line ranges an editor needs (indexes into `IniDocument.lines`). */
export interface IniSection {
  kind: SectionKind;
  /** The profile, sso-session or services name; the header text for other sections. */
  name: string;
  /** The text between the brackets, as botocore reads it. */
  header: string;
  /** Index of the header line. */
  start: number;
  /** Index after the section's last key, continuation or marker line; trailing blanks and comments stay out. */
  end: number;
  /** Index of the next header (or the number of lines). */
  next: number;
  /** True when the line right after the header is weep's marker. */
  managed: boolean;
  /** The ConsoleMe and role the marker names; `undefined` for an older marker, or no marker. */
  owner: ProfileOwner | undefined;
  /** Keys (lowercased) with botocore's value: continuation lines joined with `\n` (see {@linkcode keyRange}). */
  keys: SectionKeys;
}

/** Something in the file that makes botocore reject it, or makes AWS tools disagree about it. */
export interface IniProblem {
  /** 1-based line number. */
  line: number;
  message: string;
  /**
   * A problem of the file that weep's edit neither causes nor worsens (a byte order mark): weep still edits,
   * keeps it as it is, and warns; `doctor` reports it.
   */
  keepable?: boolean;
}

// A header botocore splits into exactly the kind and one plain word: what nearly every header is.
const PLAIN_HEADER = /^(profile|sso-session|services) ([^ \t\r\n'"\\]+)$/;

// The last header classified: the section reader and the checker of one read ask about each header in turn.
let lastHeader: { header: string; fileKind: FileKind; read: { kind: SectionKind; name: string } } | undefined;

/** Tells what a header names in a file of `fileKind`, following botocore's `build_profile_map`. */
export function classifyHeader(header: string, fileKind: FileKind): { kind: SectionKind; name: string } {
  if (lastHeader !== undefined && lastHeader.header === header && lastHeader.fileKind === fileKind) {
    return { ...lastHeader.read };
  }
  const read = classifyAnew(header, fileKind);
  lastHeader = { header, fileKind, read };
  return { ...read };
}

function classifyAnew(header: string, fileKind: FileKind): { kind: SectionKind; name: string } {
  if (header === "DEFAULT") return { kind: "defaults", name: header };
  if (fileKind === "credentials") return { kind: "profile", name: header };
  const plain = PLAIN_HEADER.exec(header);
  if (plain !== null) return { kind: plain[1] as SectionKind, name: plain[2] as string };
  for (const kind of ["profile", "sso-session", "services"] as const) {
    if (!header.startsWith(kind)) continue;
    const parts = shlexSplit(header);
    return parts !== undefined && parts.length === 2
      ? { kind, name: parts[1] as string }
      : { kind: "other", name: header };
  }
  if (header === "default") return { kind: "profile", name: "default" };
  return { kind: "other", name: header };
}

/** Groups the lines of `doc` into sections (lines before the first header belong to none). */
export function iniSections(doc: IniDocument, fileKind: FileKind): IniSection[] {
  const sections: IniSection[] = [];
  const reader = sectionReader(fileKind, (section) => sections.push(section));
  for (const line of doc.lines) reader.add(line);
  reader.end();
  return sections;
}

/** Takes a file's lines in order and hands on each section of {@linkcode iniSections} once it is complete. */
export interface SectionReader {
  /** The next line of the file. */
  add(line: IniLine): void;
  /** The file ends: hands on the last section. */
  end(): void;
}

/**
 * A {@linkcode SectionReader} calling `done` with each section, in file order: what {@linkcode iniSections}
 * returns, for a reader that looks at each section once and keeps none.
 */
export function sectionReader(fileKind: FileKind, done: (section: IniSection) => void): SectionReader {
  let index = 0;
  let current: IniSection | undefined;
  // The key open for continuation lines: its name, its first value, and its later lines.
  let openKey: string | undefined;
  let first = "";
  let more: string[] | undefined;
  const closeKey = () => {
    // configparser joins a value's lines with "\n" and strips the end only (a leading "\n" marks nesting).
    if (current !== undefined && openKey !== undefined && !current.keys.has(openKey)) {
      current.keys.set(openKey, more === undefined ? first : pyRstrip(`${first}\n${more.join("\n")}`));
    }
    openKey = undefined;
    more = undefined;
  };
  const finish = (next: number) => {
    closeKey();
    if (current === undefined) return;
    current.next = next;
    done(current);
    current = undefined;
  };
  return {
    add(line) {
      const i = index++;
      if (line.kind === "header") {
        finish(i);
        const { kind, name } = classifyHeader(line.header, fileKind);
        current = {
          kind,
          name,
          header: line.header,
          start: i,
          end: i + 1,
          next: i + 1,
          managed: false,
          owner: undefined,
          keys: new SectionKeys(),
        };
      } else if (current === undefined) {
        return;
      } else if (i === current.start + 1 && line.kind === "comment") {
        // weep's marker is the line right after the header.
        const marker = parseMarker(line.text);
        if (marker === undefined) return;
        current.managed = true;
        current.owner = marker.owner;
        current.end = i + 1;
      } else if (line.kind === "key") {
        closeKey();
        openKey = line.key;
        first = line.value;
        current.end = i + 1;
      } else if (line.kind === "continuation" && openKey !== undefined) {
        (more ??= []).push(line.value);
        current.end = i + 1;
      } else if (line.kind === "blank" && openKey !== undefined) {
        (more ??= []).push("");
      }
    },
    end: () => finish(index),
  };
}

/**
 * The `[first, end)` line indexes of `key` in `section`: its key line and its continuation lines; `undefined`
 * when the section has no such key. A key given twice is reported by `checkIni`; the first is the one an editor
 * touches.
 */
export function keyRange(
  lines: { at(index: number): IniLine | undefined },
  section: IniSection,
  key: string,
): [number, number] | undefined {
  for (let i = section.start + 1; i < section.end; i++) {
    const line = lines.at(i);
    if (line?.kind !== "key" || line.key !== key) continue;
    let end = i + 1;
    for (let j = i + 1; j < section.end; j++) {
      const next = lines.at(j);
      if (next?.kind === "key") break;
      if (next?.kind === "continuation") end = j + 1;
    }
    return [i, end];
  }
  return undefined;
}

const INVALID_MESSAGES = {
  "no-section": "text before the first section header",
  "no-delimiter": "a line that is neither a section header, a key = value setting nor a comment",
  "empty-key": "a setting without a key name",
} as const;

/**
 * Lists what makes the file unsafe to edit, in line order: a byte order mark, lines botocore rejects,
 * nested settings without `=`, a section or key that appears twice (botocore rejects the file), a profile
 * (or sso-session, services) defined by two headers such as `[default]` and `[profile default]` (botocore
 * reads the later one, the JavaScript SDK the `profile` one), and lone carriage returns.
 */
export function checkIni(doc: IniDocument, fileKind: FileKind): IniProblem[] {
  const problems: IniProblem[] = [];
  const checker = iniChecker(fileKind, doc.bom, (problem) => problems.push(problem));
  for (const line of doc.lines) checker(line);
  return problems;
}

/**
 * The checks of {@linkcode checkIni} one line at a time: returns a function to call with each line of the
 * file in order, which calls `found` with each problem as soon as it is seen.
 */
export function iniChecker(
  fileKind: FileKind,
  bom: boolean,
  found: (problem: IniProblem) => void,
): (line: IniLine) => void {
  if (bom) {
    found({
      line: 1,
      message: "the file starts with a UTF-8 byte order mark, which the AWS CLI and boto3 cannot read",
      keepable: true,
    });
  }
  // Headers of other sections by their first line; for each kind of profile, names by their first header.
  const seenHeaders = new Map<string, number>();
  const seenNames = new Map<SectionKind, Map<string, { header: string; line: number }>>();
  // The keys of the section being read, by their first line: configparser reads every [DEFAULT] into one.
  const defaultKeys = new Map<string, number>();
  const sectionKeys = new Map<string, number>();
  let keys = sectionKeys;
  let header: string | undefined;
  let nested: { key: string; line: number } | undefined;
  let number = 0;
  return (line) => {
    number++;
    if (line.eol === "\r") {
      found({
        line: number,
        message: "a carriage return without a newline ends this line, which AWS tools read differently",
      });
    }
    if (line.kind === "invalid") {
      found({ line: number, message: INVALID_MESSAGES[line.reason] });
    } else if (line.kind === "header") {
      header = line.header;
      // A section that appears again keeps its own keys: they are not duplicates of the first one's as well.
      keys = header === "DEFAULT" ? defaultKeys : sectionKeys;
      if (keys === sectionKeys) sectionKeys.clear();
      nested = undefined;
      const { kind, name } = classifyHeader(header, fileKind);
      if (kind === "other" || kind === "defaults") {
        const first = seenHeaders.get(header);
        if (first === undefined) seenHeaders.set(header, number);
        else if (header !== "DEFAULT") {
          found({ line: number, message: `duplicate section [${header}] (first at line ${first})` });
        }
        return;
      }
      // One header reads as one kind and name: the same header again is found by its name.
      let names = seenNames.get(kind);
      if (names === undefined) seenNames.set(kind, names = new Map());
      const earlier = names.get(name);
      if (earlier === undefined) names.set(name, { header, line: number });
      else if (earlier.header === header) {
        found({ line: number, message: `duplicate section [${header}] (first at line ${earlier.line})` });
      } else if (seenHeaders.has(header)) {
        // A header that is there a second time, after another header of the same name.
        found({
          line: number,
          message: `duplicate section [${header}] (first at line ${seenHeaders.get(header)})`,
        });
      } else {
        seenHeaders.set(header, number);
        found({
          line: number,
          message: `${kind} "${name}" is defined twice, by [${earlier.header}] at line ${earlier.line} ` +
            `and [${header}] here; AWS tools disagree on which one counts`,
        });
      }
    } else if (line.kind === "key" && header !== undefined) {
      const first = keys.get(line.key);
      if (first !== undefined) {
        found({
          line: number,
          message: `duplicate key "${line.key}" in [${header}] (first at line ${first})`,
        });
      } else keys.set(line.key, number);
      nested = line.value === "" ? { key: line.key, line: number } : undefined;
    } else if (line.kind === "continuation" && nested !== undefined && !line.value.includes("=")) {
      // botocore parses `key =` followed by indented lines as nested `name = value` settings.
      found({ line: number, message: `nested setting under "${nested.key}" has no "="` });
    }
  };
}
