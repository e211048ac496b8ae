/**
 * The editor behind `weep generate` and `weep file`: plans the new text of `~/.aws/config` or
 * `~/.aws/credentials` with weep's profiles added, updated or removed, and every other byte left as it was.
 * Pure: text in, text out. How it behaves is described in docs/readme/config-editor.md.
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
import { verifyPlan } from "./config_verify.ts";
import { refusal, validateDesired } from "./config_rules.ts";

export { type FileKind, type IniProblem, MANAGED_MARKER, type SectionKind };

/** A profile weep wants in the file: its name and its keys in order (`[key, value]`). */
export interface DesiredProfile {
  name: string;
  keys: readonly (readonly [string, string])[];
}

/** Options for {@linkcode planProfiles}. */
export interface PlanOptions {
  /** Which file the text is: profiles are `[profile NAME]` in config and `[NAME]` in credentials. */
  kind: FileKind;
  /** Remove managed profiles that are not in the desired list (`--prune`). */
  prune?: boolean;
  /** Take over same-named profiles weep did not write (`--force`): mark them and set weep's keys. */
  force?: boolean;
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
  /** Managed profiles whose keys changed. */
  updated: string[];
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
 * Plans the file with `desired` profiles in it. Managed profiles are updated in place (weep's keys set,
 * other keys kept); new ones are appended at the end; profiles weep did not write are skipped unless
 * `force`; with `prune`, managed profiles not desired are removed. Running it again on its own output with the
 * same input changes nothing. Throws a {@linkcode WeepError} (and plans nothing) when the file has problems
 * ({@linkcode checkIniText}) or a name, key or value cannot be written safely.
 */
export function planProfiles(
  text: string,
  desired: readonly DesiredProfile[],
  options: PlanOptions,
): ProfilePlan {
  const { kind } = options;
  const label = options.label ?? (kind === "config" ? "the AWS config file" : "the AWS credentials file");
  validateDesired(desired, kind);
  const doc = parseIni(text);
  const found = checkIni(doc, kind);
  const problems = found.filter((problem) => !problem.keepable);
  if (problems.length > 0) throw refusal(problems, label);

  const plan: ProfilePlan = {
    text,
    changed: false,
    added: [],
    updated: [],
    adopted: [],
    removed: [],
    unchanged: [],
    skipped: [],
    warnings: found.map((problem) =>
      `${label}, line ${problem.line}: ${problem.message}; weep keeps it as it is (remove it so that they can)`
    ),
  };
  const sections = iniSections(doc, kind);
  const profiles = new Map(sections.filter((s) => s.kind === "profile").map((s) => [s.name, s]));
  const eol = newLineFor(doc.lines);
  // Work as if the last line ended with a newline; the file's final-newline state is put back at the end.
  const lines = doc.lines.slice();
  const last = lines.at(-1);
  const noFinalNewline = last !== undefined && last.eol === "";
  if (last !== undefined && noFinalNewline) lines[lines.length - 1] = { ...last, eol };

  const replaced = new Map<IniSection, IniLine[]>();
  const appended: IniLine[] = [];
  for (const profile of desired) {
    const section = profiles.get(profile.name);
    if (section === undefined) {
      appended.push(line(profileHeader(profile.name, kind), eol), line(MANAGED_MARKER, eol));
      for (const [key, value] of profile.keys) appended.push(line(`${key} = ${value}`, eol));
      plan.added.push(profile.name);
      continue;
    }
    if (!section.managed && !options.force) {
      const reason = `it was not written by weep (no marker under its header at line ${section.start + 1})`;
      plan.skipped.push({ name: profile.name, reason });
      plan.warnings.push(`Skipped profile "${profile.name}": ${reason}; use --force to let weep manage it`);
      continue;
    }
    const rewritten = rewriteSection(lines, section, profile, eol);
    const same = rewritten.length === section.next - section.start &&
      rewritten.every((l, i) => l === lines[section.start + i]);
    if (same) plan.unchanged.push(profile.name);
    else {
      replaced.set(section, rewritten);
      (section.managed ? plan.updated : plan.adopted).push(profile.name);
    }
    const ours = new Set(profile.keys.map(([key]) => key));
    const shadowing = [...section.keys.keys()].filter((key) => SHADOWING_KEYS.test(key) && !ours.has(key));
    if (kind === "config" && shadowing.length > 0 && ours.has("credential_process")) {
      const keys = shadowing.join(", ");
      plan.warnings.push(
        `Profile "${profile.name}" keeps ${keys}, which AWS tools use before credential_process`,
      );
    }
  }
  if (options.prune) {
    const wanted = new Set(desired.map((p) => p.name));
    for (const section of profiles.values()) {
      if (!section.managed || wanted.has(section.name)) continue;
      replaced.set(section, lines.slice(section.end, section.next));
      plan.removed.push(section.name);
    }
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
    out.push(...replacement);
    next = section.next;
  }
  for (; next < lines.length; next++) out.push(lines[next] as IniLine);
  out.push(...appended);
  const end = out.at(-1);
  if (noFinalNewline && end !== undefined) out[out.length - 1] = { ...end, eol: "" };

  plan.text = renderIni({ bom: doc.bom, lines: out });
  plan.changed = plan.text !== text;
  verifyPlan(sections, plan.text, desired, plan, kind, label);
  return plan;
}

function line(text: string, eol: LineEnding): IniLine {
  return { text, eol, kind: "comment" }; // the kind is not used again: the result is parsed afresh
}

/** The section's new lines: marker, weep's keys replaced where they are, missing ones after the last key. */
function rewriteSection(lines: IniLine[], section: IniSection, profile: DesiredProfile, eol: "\n" | "\r\n") {
  const out: IniLine[] = [lines[section.start] as IniLine];
  let i = section.start + 1;
  if (section.managed) out.push(lines[i++] as IniLine);
  else out.push(line(MANAGED_MARKER, eol));
  const starts = new Map<number, readonly [string, string]>();
  const missing: (readonly [string, string])[] = [];
  for (const entry of profile.keys) {
    const range = section.keyRanges.get(entry[0]);
    if (range === undefined) missing.push(entry);
    else starts.set(range[0], entry);
  }
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
