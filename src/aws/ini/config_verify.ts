/**
 * The editor's last safety net: before weep writes a planned file, it reads the result back the way
 * botocore does and checks that only weep's profiles changed.
 *
 * @module
 */

import { WeepError } from "../../errors.ts";
import { parseIni } from "./ini_parse.ts";
import { checkIni, type FileKind, type IniSection, iniSections } from "./ini_sections.ts";
import { type ProfileOwner, sameOwner } from "./profile_marker.ts";

/** What one section of the planned file must read back as, in file order. */
export interface ExpectedSection {
  /** The text between the brackets. */
  header: string;
  /** Every key and value, as botocore reads them. */
  keys: ReadonlyMap<string, string>;
  /** Whether weep's marker follows the header. */
  managed: boolean;
  /** The owner the marker names. */
  owner: ProfileOwner | undefined;
}

/**
 * Throws when `text` (the planned file) does not read back, section by section, as `expected`: the same
 * headers in the same order, the same keys and values, weep's marker (and its owner) exactly where planned.
 */
export function verifyPlan(
  text: string,
  expected: readonly ExpectedSection[],
  kind: FileKind,
  label: string,
): void {
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

function matches(section: IniSection, expected: ExpectedSection | undefined): boolean {
  if (expected === undefined || section.header !== expected.header) return false;
  if (section.managed !== expected.managed || !sameOwner(section.owner, expected.owner)) return false;
  if (section.keys.size !== expected.keys.size) return false;
  for (const [key, value] of expected.keys) if (section.keys.get(key) !== value) return false;
  return true;
}
