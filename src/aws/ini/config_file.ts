/**
 * The editor behind `weep generate` and `weep file`: plans the new text of `~/.aws/config` or
 * `~/.aws/credentials` with weep's profiles added, updated or removed, and every other byte left as it was.
 * Pure: text in, text out. How it behaves is described in docs/config-editor.md.
 *
 * @module
 */

import { BOM, newLineOf, parseIni, readIniLines } from "./ini_parse.ts";
import { type Lines, LineTable } from "./line_table.ts";
import {
  checkIni,
  type FileKind,
  iniChecker,
  type IniProblem,
  type IniSection,
  iniSections,
  MANAGED_MARKER,
  type SectionKind,
  sectionReader,
} from "./ini_sections.ts";
import type { SectionKeys } from "./section_keys.ts";
import { profileHeader } from "./profile_name.ts";
import { type ExpectedSection, verifyPlan } from "./config_verify.ts";
import { checkWritable, refusal, validateDesired } from "./config_rules.ts";
import { type DesiredProfile, type MatchOptions, matchProfiles, type ProfileMatch } from "./profile_match.ts";
import type { ProfileOwner } from "./profile_marker.ts";
import { initialKeysFor, rewriteSection } from "./section_rewrite.ts";
import { type Edit, removal, renderPlan } from "./plan_text.ts";

export {
  type DesiredProfile,
  type FileKind,
  type IniProblem,
  MANAGED_MARKER,
  type ProfileOwner,
  type SectionKeys,
  type SectionKind,
};

/** Options for {@linkcode planProfiles}. */
export interface PlanOptions extends MatchOptions {
  /** Which file the text is: profiles are `[profile NAME]` in config and `[NAME]` in credentials. */
  kind: FileKind;
  /** The file's path for messages (default: "the AWS config file" / "the AWS credentials file"). */
  label?: string;
}

/** What {@linkcode planProfiles} would do, and the resulting text. */
export interface ProfilePlan {
  /** The new file text; the input itself, byte for byte, when nothing changes. */
  text: string;
  /** True when `text` differs from the input. */
  changed: boolean;
  /** New profiles, appended at the end of the file. */
  added: string[];
  /** Managed profiles whose keys or marker changed (not renamed). */
  updated: string[];
  /** Managed profiles renamed in place because their name changed, old and new name. */
  renamed: { from: string; to: string }[];
  /** Profiles weep did not write, taken over with `force`. */
  adopted: string[];
  /** Managed profiles removed by `prune`. */
  removed: string[];
  /** Managed profiles that already had weep's keys. */
  unchanged: string[];
  /** Desired profiles left alone, with the reason (a profile weep did not write, without `force`). */
  skipped: { name: string; reason: string }[];
  /** Lines to show the user (skips, and keys that take precedence over weep's). */
  warnings: string[];
  /** How many profiles the new text has (weep's and everyone else's). */
  profiles: number;
}

/** A section as `doctor` and shadowing checks need it. */
export interface SectionSummary {
  kind: SectionKind;
  name: string;
  /** The text between the brackets. */
  header: string;
  /** Keys (lowercased) and values as botocore reads them. */
  keys: SectionKeys;
  /** Written and managed by weep (the marker line follows the header). */
  managed: boolean;
  /** The ConsoleMe and role the marker names (`undefined` for an older marker, or none). */
  owner: ProfileOwner | undefined;
  /** 1-based line number of the header. */
  line: number;
}

/** Lists the sections of a config (`kind` "config") or credentials file with their keys. */
export function listSections(text: string, kind: FileKind): SectionSummary[] {
  return iniSections(parseIni(text), kind).map((section) => ({
    kind: section.kind,
    name: section.name,
    header: section.header,
    keys: section.keys,
    managed: section.managed,
    owner: section.owner,
    line: section.start + 1,
  }));
}

/** Lists what makes the file unsafe to edit (see `checkIni`); empty when weep can edit it. */
export function checkIniText(text: string, kind: FileKind): IniProblem[] {
  return checkIni(parseIni(text), kind);
}

// Keys that take precedence over credential_process in botocore's order (aws-contract.md section 2).
/** Profile keys AWS clients use before `credential_process` (botocore's order), so they shadow it. */
export const SHADOWING_KEYS: RegExp = /^(role_arn|web_identity_token_file|sso_.*)$/;

/** A file read for an edit by {@linkcode readForEdit}: its text, lines and sections. */
export interface EditableFile {
  text: string;
  /** Whether the text starts with a byte order mark. */
  bom: boolean;
  /** The lines, each made again when asked for: a large file is not kept as one object a line. */
  lines: LineTable;
  sections: IniSection[];
  /** Problems of the file that weep keeps as they are (a byte order mark): each becomes a warning. */
  kept: IniProblem[];
}

/**
 * Reads `text` for {@linkcode planProfiles}. Throws a {@linkcode WeepError} when the file has problems that
 * make it unsafe to edit ({@linkcode checkIniText}), so a caller can refuse a file before it asks for anything.
 */
export function readForEdit(text: string, options: Pick<PlanOptions, "kind" | "label">): EditableFile {
  // One pass: the lines, their problems and their sections.
  const bom = text.startsWith(BOM);
  const lines = new LineTable(text, bom ? 1 : 0);
  const found: IniProblem[] = [];
  const sections: IniSection[] = [];
  const check = iniChecker(options.kind, bom, (problem) => found.push(problem));
  const reader = sectionReader(options.kind, (section) => sections.push(section));
  readIniLines(text, (line) => {
    lines.add(line);
    check(line);
    reader.add(line);
  });
  reader.end();
  const problems = found.filter((problem) => !problem.keepable);
  if (problems.length > 0) throw refusal(problems, labelOf(options));
  return { text, bom, lines, sections, kept: found };
}

function labelOf(options: Pick<PlanOptions, "kind" | "label">): string {
  return options.label ?? (options.kind === "config" ? "the AWS config file" : "the AWS credentials file");
}

/**
 * Plans the file (its text, or what {@linkcode readForEdit} read of it with the same options) with `desired`
 * profiles in it. Managed profiles are updated in place (weep's keys and marker set, other keys kept), and
 * renamed in place when their name changed; new ones are appended at the end, a blank line before each;
 * profiles weep did not write are skipped unless `force`; with `prune`, managed profiles not wanted are
 * removed. Which existing profile a desired one becomes is decided by {@linkcode matchProfiles}: by name, or
 * with `origin` by the ConsoleMe and role the marker names, so that profiles of another ConsoleMe are never
 * touched. Running it again on its own output with the same input changes nothing. Throws a
 * {@linkcode WeepError} (and plans nothing) when the file has problems ({@linkcode checkIniText}), two desired
 * profiles cannot be told apart, or a profile it would write has a name, key or value that cannot be written
 * safely (`checkWritable`; a profile already in the file as desired is left as it is).
 */
export function planProfiles(
  file: string | EditableFile,
  desired: readonly DesiredProfile[],
  options: PlanOptions,
): ProfilePlan {
  const { kind } = options;
  const label = labelOf(options);
  validateDesired(desired, options.origin);
  const { text, bom, lines: table, sections, kept } = typeof file === "string"
    ? readForEdit(file, options)
    : file;
  const profiles = sections.filter((s) => s.kind === "profile");
  const match = matchProfiles(profiles, desired, options);
  let removals = 0;
  for (const action of match.actions.values()) if (action.kind === "remove") removals++;
  const plan: ProfilePlan = {
    text,
    changed: false,
    added: match.added.map((profile) => profile.name),
    updated: [],
    renamed: [],
    adopted: [],
    removed: [],
    unchanged: [],
    skipped: match.skipped,
    warnings: kept.map((problem) =>
      `${label}, line ${problem.line}: ${problem.message}; weep keeps it as it is (remove it so that they can)`
    ),
    profiles: profiles.length - removals + match.added.length,
  };
  for (const warning of match.warnings) plan.warnings.push(warning);
  for (const profile of match.added) checkWritable(profile, kind);
  const eol = newLineOf(table.endings());
  // Work as if the last line ended with a newline; the file's final-newline state is put back at the end.
  const last = table.at(table.length - 1);
  const noFinalNewline = last !== undefined && last.eol === "";
  const lines: Lines = !noFinalNewline ? table : {
    length: table.length,
    at: (index) => index === table.length - 1 ? { ...last, eol } : table.at(index),
  };

  // What changes, in file order: lines [from, to) become `lines`.
  const edits: Edit[] = [];
  const rewritten = new Set<IniSection>();
  for (const section of sections) {
    const action = match.actions.get(section);
    if (action === undefined) continue;
    if (action.kind === "remove") {
      edits.push(removal(section, lines, edits.at(-1)));
      plan.removed.push(section.name);
      continue;
    }
    const { profile } = action;
    const name = action.rename ? profile.name : section.name;
    const replacement = rewriteSection(lines, section, action, kind, eol);
    if (replacement === undefined) plan.unchanged.push(name);
    else {
      checkWritable(profile, kind);
      edits.push({ from: section.start, to: section.next, lines: replacement });
      rewritten.add(section);
      if (action.rename) plan.renamed.push({ from: section.name, to: name });
      else (action.adopt ? plan.adopted : plan.updated).push(name);
    }
    const shadowing = kind === "config" ? shadowingKeys(section, profile) : [];
    if (shadowing.length > 0) {
      const keys = shadowing.join(", ");
      plan.warnings.push(`Profile "${name}" keeps ${keys}, which AWS tools use before credential_process`);
    }
  }
  const defaults = sections.find((s) => s.kind === "defaults" && s.keys.size > 0);
  if (defaults !== undefined) {
    const where = `Section [DEFAULT] at line ${defaults.start + 1}`;
    plan.warnings.push(`${where} gives its keys to every profile read by the AWS CLI and boto3`);
  }
  if (edits.length === 0 && match.added.length === 0) return plan;

  plan.text = renderPlan(text, bom, table, edits, match.added, { kind, eol, noFinalNewline });
  plan.changed = plan.text !== text;
  verifyPlan(plan.text, expectedSections(sections, match, rewritten, kind), kind, label);
  return plan;
}

/**
 * The keys of `section` that AWS tools use before the `credential_process` that `profile` sets (none when it
 * sets none), other than the profile's own.
 */
function shadowingKeys(section: IniSection, profile: DesiredProfile): string[] {
  const keys: string[] = [];
  if (!hasKey(profile.keys, "credential_process")) return keys;
  // A section holding no key but the profile's has none to shadow it: the common case, decided at once.
  let own = 0;
  for (let i = 0; i < profile.keys.length; i++) {
    if (section.keys.has((profile.keys[i] as [string, string])[0])) own++;
  }
  if (own === section.keys.size) return keys;
  for (const key of section.keys.keys()) {
    if (!hasKey(profile.keys, key) && SHADOWING_KEYS.test(key)) keys.push(key);
  }
  return keys;
}

function hasKey(keys: readonly (readonly [string, string])[], key: string): boolean {
  for (let i = 0; i < keys.length; i++) if ((keys[i] as readonly [string, string])[0] === key) return true;
  return false;
}

/**
 * What each section of the planned file must read back as, in file order (see `verifyPlan`), made as the
 * check goes: a section weep leaves as it is reads back as it did.
 */
function* expectedSections(
  sections: readonly IniSection[],
  match: ProfileMatch,
  rewritten: ReadonlySet<IniSection>,
  kind: FileKind,
): Generator<ExpectedSection> {
  for (const section of sections) {
    const action = match.actions.get(section);
    if (action === undefined || (action.kind === "update" && !rewritten.has(section))) {
      yield section;
      continue;
    }
    if (action.kind === "remove") continue;
    const { profile } = action;
    const keys = new Map(section.keys);
    for (const [key, value] of initialKeysFor(section, action)) keys.set(key, value);
    for (const [key, value] of profile.keys) keys.set(key, value);
    yield {
      header: action.rename ? profileHeader(profile.name, kind).slice(1, -1) : section.header,
      keys,
      managed: true,
      owner: profile.owner ?? (section.managed ? section.owner : undefined),
    };
  }
  for (const profile of match.added) {
    yield {
      header: profileHeader(profile.name, kind).slice(1, -1),
      keys: profile.initialKeys === undefined ? profile.keys : profile.keys.concat(profile.initialKeys),
      managed: true,
      owner: profile.owner,
    };
  }
}
