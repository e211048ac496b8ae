/**
 * The editor's last safety net: before weep writes a planned file, it reads the result back the way
 * botocore does and checks that only weep's profiles changed.
 *
 * @module
 */

import { WeepError } from "../errors.ts";
import { parseIni } from "./ini_parse.ts";
import { checkIni, type FileKind, type IniSection, iniSections } from "./ini_sections.ts";
import { profileHeader } from "./profile_name.ts";

interface Expected {
  header: string;
  keys: Map<string, string>;
  managed: boolean | undefined;
}

/** What the planner reports doing; see `ProfilePlan`. */
export interface PlanSummary {
  added: readonly string[];
  removed: readonly string[];
  skipped: readonly { name: string }[];
}

/**
 * Throws when `text` (the planned file) does not read back as `before` with the planned changes: every
 * section not weep's with the same header and keys, weep's profiles marked and holding their keys.
 */
export function verifyPlan(
  before: readonly IniSection[],
  text: string,
  desired: readonly { name: string; keys: readonly (readonly [string, string])[] }[],
  plan: PlanSummary,
  kind: FileKind,
  label: string,
): void {
  const wanted = new Map(desired.map((p) => [p.name, p]));
  const removed = new Set(plan.removed);
  const skipped = new Set(plan.skipped.map((s) => s.name));
  const expected: Expected[] = [];
  for (const section of before) {
    const profile = section.kind === "profile" ? wanted.get(section.name) : undefined;
    if (section.kind === "profile" && removed.has(section.name)) continue;
    if (profile === undefined || skipped.has(profile.name)) {
      expected.push({ header: section.header, keys: section.keys, managed: undefined });
      continue;
    }
    expected.push({
      header: section.header,
      keys: new Map([...section.keys, ...profile.keys]),
      managed: true,
    });
  }
  for (const name of plan.added) {
    const profile = wanted.get(name);
    const header = profileHeader(name, kind).slice(1, -1);
    expected.push({ header, keys: new Map(profile?.keys ?? []), managed: true });
  }
  const doc = parseIni(text);
  const problems = checkIni(doc, kind).filter((problem) => !problem.keepable);
  const after = iniSections(doc, kind);
  const mismatch = problems.length > 0 || after.length !== expected.length ||
    after.some((section, i) => !matches(section, expected[i]));
  if (mismatch) {
    throw new WeepError(
      `Internal error: the planned edit of "${label}" would change more than weep's profiles`,
      {
        hints: ["Nothing was written; please report this with the file's section headers (not its keys)"],
      },
    );
  }
}

function matches(section: IniSection, expected: Expected | undefined): boolean {
  if (expected === undefined || section.header !== expected.header) return false;
  if (expected.managed !== undefined && section.managed !== expected.managed) return false;
  if (section.keys.size !== expected.keys.size) return false;
  for (const [key, value] of expected.keys) if (section.keys.get(key) !== value) return false;
  return true;
}
