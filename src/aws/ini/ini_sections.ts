/**
 * Sections of a parsed AWS config or credentials file as botocore sees them, and the checks that tell
 * whether the file is safe to edit: everything botocore rejects, and profiles defined twice.
 *
 * @module
 */

import { type IniDocument, type IniLine, pyRstrip } from "./ini_parse.ts";
import { shlexSplit } from "../../text/shlex.ts";
import { MANAGED_MARKER, parseMarker, type ProfileOwner } from "./profile_marker.ts";

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
  /** Keys (lowercased) with botocore's value: continuation lines joined with `\n`. */
  keys: Map<string, string>;
  /** For each key, `[first, end)` line indexes: the key line and its continuation lines. */
  keyRanges: Map<string, [number, number]>;
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

/** Tells what a header names in a file of `fileKind`, following botocore's `build_profile_map`. */
export function classifyHeader(header: string, fileKind: FileKind): { kind: SectionKind; name: string } {
  if (header === "DEFAULT") return { kind: "defaults", name: header };
  if (fileKind === "credentials") return { kind: "profile", name: header };
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
  const lines = doc.lines;
  let current: IniSection | undefined;
  let openKey: { key: string; parts: string[]; range: [number, number] | undefined } | undefined;
  const closeKey = () => {
    // configparser joins a value's lines with "\n" and strips the end only (a leading "\n" marks nesting).
    if (current !== undefined && openKey !== undefined && !current.keys.has(openKey.key)) {
      current.keys.set(openKey.key, pyRstrip(openKey.parts.join("\n")));
    }
    openKey = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as IniLine;
    if (line.kind === "header") {
      closeKey();
      if (current !== undefined) current.next = i;
      const next = lines[i + 1];
      const marker = next?.kind === "comment" ? parseMarker(next.text) : undefined;
      const managed = marker !== undefined;
      current = {
        ...classifyHeader(line.header, fileKind),
        header: line.header,
        start: i,
        end: managed ? i + 2 : i + 1,
        next: lines.length,
        managed,
        owner: marker?.owner,
        keys: new Map(),
        keyRanges: new Map(),
      };
      sections.push(current);
    } else if (current === undefined) {
      continue;
    } else if (line.kind === "key") {
      closeKey();
      // A duplicate key is reported by checkIni; the first one is the one an editor touches.
      const range: [number, number] | undefined = current.keyRanges.has(line.key) ? undefined : [i, i + 1];
      if (range !== undefined) current.keyRanges.set(line.key, range);
      openKey = { key: line.key, parts: [line.value], range };
      current.end = i + 1;
    } else if (line.kind === "continuation" && openKey !== undefined) {
      openKey.parts.push(line.value);
      if (openKey.range !== undefined) openKey.range[1] = i + 1;
      current.end = i + 1;
    } else if (line.kind === "blank" && openKey !== undefined) {
      openKey.parts.push("");
    }
  }
  closeKey();
  return sections;
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
  if (doc.bom) {
    problems.push({
      line: 1,
      message: "the file starts with a UTF-8 byte order mark, which the AWS CLI and boto3 cannot read",
      keepable: true,
    });
  }
  const seenHeaders = new Map<string, number>();
  const seenNames = new Map<string, { line: number; header: string }>();
  const seenKeys = new Map<string, number>();
  let header: string | undefined;
  let keyScope: string | undefined;
  let nested: { key: string; line: number } | undefined;
  doc.lines.forEach((line, index) => {
    const number = index + 1;
    if (line.eol === "\r") {
      problems.push({
        line: number,
        message: "a carriage return without a newline ends this line, which AWS tools read differently",
      });
    }
    if (line.kind === "invalid") {
      problems.push({ line: number, message: INVALID_MESSAGES[line.reason] });
    } else if (line.kind === "header") {
      header = line.header;
      keyScope = header;
      nested = undefined;
      const first = seenHeaders.get(header);
      if (first !== undefined && header !== "DEFAULT") {
        problems.push({ line: number, message: `duplicate section [${header}] (first at line ${first})` });
        keyScope = `${header}\n${number}`; // its keys are not duplicates of the first section's as well
        return;
      }
      seenHeaders.set(header, number);
      const { kind, name } = classifyHeader(header, fileKind);
      if (kind === "other" || kind === "defaults") return;
      const id = `${kind} ${name}`;
      const earlier = seenNames.get(id);
      if (earlier !== undefined) {
        problems.push({
          line: number,
          message: `${kind} "${name}" is defined twice, by [${earlier.header}] at line ${earlier.line} and ` +
            `[${header}] here; AWS tools disagree on which one counts`,
        });
      } else seenNames.set(id, { line: number, header });
    } else if (line.kind === "key" && header !== undefined) {
      const id = `${keyScope}\n${line.key}`;
      const first = seenKeys.get(id);
      if (first !== undefined) {
        problems.push({
          line: number,
          message: `duplicate key "${line.key}" in [${header}] (first at line ${first})`,
        });
      } else seenKeys.set(id, number);
      nested = line.value === "" ? { key: line.key, line: number } : undefined;
    } else if (line.kind === "continuation" && nested !== undefined && !line.value.includes("=")) {
      // botocore parses `key =` followed by indented lines as nested `name = value` settings.
      problems.push({ line: number, message: `nested setting under "${nested.key}" has no "="` });
    }
  });
  return problems;
}
