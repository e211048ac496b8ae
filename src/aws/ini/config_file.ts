/**
 * The editor behind `weep generate` and `weep file`: plans the new text of `~/.aws/config` or
 * `~/.aws/credentials` with weep's profiles added, updated or removed, and every other byte left as it was.
 * Pure: text in, text out. How it behaves is described in docs/config-editor.md.
 *
 * @module
 */

import { indentOf, type IniLine, type LineEnding, newLineFor, parseIni, renderIni } from "./ini_parse.ts";
import {
  checkIni,
  type FileKind,
  type IniProblem,
  type IniSection,
  iniSections,
  MANAGED_MARKER,
  type SectionKind,
} from "./ini_sections.ts";
import { profileHeader } from "./profile_name.ts";
import { type ExpectedSection, verifyPlan } from "./config_verify.ts";
import { refusal, validateDesired } from "./config_rules.ts";
import {
  type DesiredProfile,
  type MatchOptions,
  matchProfiles,
  type SectionAction,
} from "./profile_match.ts";
import { markerLine, parseMarker, type ProfileOwner, sameOwner } from "./profile_marker.ts";

export {
  type DesiredProfile,
  type FileKind,
  type IniProblem,
  MANAGED_MARKER,
  type ProfileOwner,
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
  keys: Map<string, string>;
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

/**
 * Plans the file with `desired` profiles in it. Managed profiles are updated in place (weep's keys and marker
 * set, other keys kept), and renamed in place when their name changed; new ones are appended at the end;
 * profiles weep did not write are skipped unless `force`; with `prune`, managed profiles not wanted are
 * removed. Which existing profile a desired one becomes is decided by {@linkcode matchProfiles}: by name, or
 * with `origin` by the ConsoleMe and role the marker names, so that profiles of another ConsoleMe are never
 * touched. Running it again on its own output with the same input changes nothing. Throws a
 * {@linkcode WeepError} (and plans nothing) when the file has problems ({@linkcode checkIniText}) or a name,
 * key or value cannot be written safely.
 */
export function planProfiles(
  text: string,
  desired: readonly DesiredProfile[],
  options: PlanOptions,
): ProfilePlan {
  const { kind } = options;
  const label = options.label ?? (kind === "config" ? "the AWS config file" : "the AWS credentials file");
  validateDesired(desired, kind, options.origin);
  const doc = parseIni(text);
  const found = checkIni(doc, kind);
  const problems = found.filter((problem) => !problem.keepable);
  if (problems.length > 0) throw refusal(problems, label);

  const sections = iniSections(doc, kind);
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
    warnings: found.map((problem) =>
      `${label}, line ${problem.line}: ${problem.message}; weep keeps it as it is (remove it so that they can)`
    ),
    profiles: profiles.length - removals + match.added.length,
  };
  for (const warning of match.warnings) plan.warnings.push(warning);
  const eol = newLineFor(doc.lines);
  // Work as if the last line ended with a newline; the file's final-newline state is put back at the end.
  const lines = doc.lines.slice();
  const last = lines.at(-1);
  const noFinalNewline = last !== undefined && last.eol === "";
  if (last !== undefined && noFinalNewline) lines[lines.length - 1] = { ...last, eol };

  const replaced = new Map<IniSection, IniLine[]>();
  const expected: ExpectedSection[] = [];
  for (const section of sections) {
    const action = match.actions.get(section);
    if (action === undefined) {
      expected.push({
        header: section.header,
        keys: section.keys,
        managed: section.managed,
        owner: section.owner,
      });
      continue;
    }
    if (action.kind === "remove") {
      replaced.set(section, lines.slice(section.end, section.next));
      plan.removed.push(section.name);
      continue;
    }
    const { profile } = action;
    const name = action.rename ? profile.name : section.name;
    const rewritten = rewriteSection(lines, section, action, kind, eol);
    const same = rewritten.length === section.next - section.start &&
      rewritten.every((l, i) => l === lines[section.start + i]);
    if (same) plan.unchanged.push(name);
    else {
      replaced.set(section, rewritten);
      if (action.rename) plan.renamed.push({ from: section.name, to: name });
      else (action.adopt ? plan.adopted : plan.updated).push(name);
    }
    expected.push({
      header: profileHeader(name, kind).slice(1, -1),
      keys: new Map([...section.keys, ...initialKeysFor(section, action), ...profile.keys]),
      managed: true,
      owner: profile.owner ?? (section.managed ? section.owner : undefined),
    });
    const ours = new Set(profile.keys.map(([key]) => key));
    const shadowing = [...section.keys.keys()].filter((key) => SHADOWING_KEYS.test(key) && !ours.has(key));
    if (kind === "config" && shadowing.length > 0 && ours.has("credential_process")) {
      const keys = shadowing.join(", ");
      plan.warnings.push(`Profile "${name}" keeps ${keys}, which AWS tools use before credential_process`);
    }
  }
  const appended: IniLine[] = [];
  for (const profile of match.added) {
    appended.push(line(profileHeader(profile.name, kind), eol), line(markerLine(profile.owner), eol));
    const keys = [...profile.keys, ...profile.initialKeys ?? []];
    for (const [key, value] of keys) appended.push(line(`${key} = ${value}`, eol));
    const header = profileHeader(profile.name, kind).slice(1, -1);
    expected.push({ header, keys: new Map(keys), managed: true, owner: profile.owner });
  }
  const defaults = sections.find((s) => s.kind === "defaults" && s.keys.size > 0);
  if (defaults !== undefined) {
    const where = `Section [DEFAULT] at line ${defaults.start + 1}`;
    plan.warnings.push(`${where} gives its keys to every profile read by the AWS CLI and boto3`);
  }
  if (replaced.size === 0 && appended.length === 0) return plan;

  const out: IniLine[] = [];
  let next = 0;
  for (const section of sections) {
    const replacement = replaced.get(section);
    if (replacement === undefined) continue;
    for (; next < section.start; next++) out.push(lines[next] as IniLine);
    for (const l of replacement) out.push(l);
    next = section.next;
  }
  for (; next < lines.length; next++) out.push(lines[next] as IniLine);
  for (const l of appended) out.push(l);
  const end = out.at(-1);
  if (noFinalNewline && end !== undefined) out[out.length - 1] = { ...end, eol: "" };

  plan.text = renderIni({ bom: doc.bom, lines: out });
  plan.changed = plan.text !== text;
  verifyPlan(plan.text, expected, kind, label);
  return plan;
}

/** The desired profile's initial keys a section lacks, when weep takes the section over (never otherwise). */
function initialKeysFor(section: IniSection, action: Extract<SectionAction, { kind: "update" }>) {
  if (!action.adopt) return [];
  return (action.profile.initialKeys ?? []).filter(([key]) => !section.keys.has(key));
}

function line(text: string, eol: LineEnding): IniLine {
  return { text, eol, kind: "comment" }; // the kind is not used again: the result is parsed afresh
}

/**
 * The section's new lines: the header (renamed in place, anything after its `]` kept), weep's marker, weep's
 * keys replaced where they are, missing ones after the last key.
 */
function rewriteSection(
  lines: IniLine[],
  section: IniSection,
  action: Extract<SectionAction, { kind: "update" }>,
  kind: FileKind,
  eol: "\n" | "\r\n",
) {
  const { profile } = action;
  const header = lines[section.start] as IniLine;
  const out: IniLine[] = [header];
  if (action.rename) {
    out[0] = line(
      profileHeader(profile.name, kind) + header.text.slice(header.text.lastIndexOf("]") + 1),
      header.eol,
    );
  }
  let i = section.start + 1;
  if (section.managed) {
    const current = lines[i++] as IniLine;
    // A marker already naming this owner stays byte for byte; without an owner, any marker does.
    const keep = profile.owner === undefined || sameOwner(parseMarker(current.text)?.owner, profile.owner);
    out.push(keep ? current : line(markerLine(profile.owner), current.eol));
  } else out.push(line(markerLine(profile.owner), eol));
  const starts = new Map<number, readonly [string, string]>();
  const missing: (readonly [string, string])[] = [];
  for (const entry of profile.keys) {
    const range = section.keyRanges.get(entry[0]);
    if (range === undefined) missing.push(entry);
    else starts.set(range[0], entry);
  }
  for (const entry of initialKeysFor(section, action)) missing.push(entry);
  while (i < section.end) {
    const entry = starts.get(i);
    const current = lines[i] as IniLine;
    if (entry === undefined) {
      out.push(current);
      i++;
      continue;
    }
    const [, end] = section.keyRanges.get(entry[0]) as [number, number];
    if (current.kind === "key" && current.value === entry[1] && end === i + 1) out.push(current);
    else {
      const indent = current.text.slice(0, indentOf(current.text));
      out.push(line(`${indent}${entry[0]} = ${entry[1]}`, (lines[end - 1] as IniLine).eol));
    }
    i = end;
  }
  // New keys must not turn an indented header that follows into their continuation line.
  const following = lines[section.next];
  const indent = following === undefined ? "" : following.text.slice(0, indentOf(following.text));
  for (const [key, value] of missing) out.push(line(`${indent}${key} = ${value}`, eol));
  for (i = section.end; i < section.next; i++) out.push(lines[i] as IniLine);
  return out;
}
