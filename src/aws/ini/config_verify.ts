/**
 * The editor's last safety net: before weep writes a planned file, it reads the result back the way
 * botocore does and checks that only weep's profiles changed.
 *
 * @module
 */

import { WeepError } from "../../errors.ts";
import { readIniLines } from "./ini_parse.ts";
import { type FileKind, iniChecker, type IniSection, sectionReader } from "./ini_sections.ts";
import type { SectionKeys } from "./section_keys.ts";
import { type ProfileOwner, sameOwner } from "./profile_marker.ts";

/** What one section of the planned file must read back as, in file order. */
export interface ExpectedSection {
  /** The text between the brackets. */
  header: string;
  /** Every key and value, as botocore reads them (as pairs: each key once). */
  keys: ReadonlyMap<string, string> | SectionKeys | readonly (readonly [string, string])[];
  /** Whether weep's marker follows the header. */
  managed: boolean;
  /** The owner the marker names. */
  owner: ProfileOwner | undefined;
}

/**
 * Throws when `text` (the planned file) does not read back, section by section, as `expected`: the same
 * headers in the same order, the same keys and values, weep's marker (and its owner) exactly where planned.
 * Reads the text once and keeps no section: `expected` may be produced as the check goes.
 */
export function verifyPlan(
  text: string,
  expected: Iterable<ExpectedSection>,
  kind: FileKind,
  label: string,
): void {
  const wanted = expected[Symbol.iterator]();
  let ok = true;
  const sections = sectionReader(kind, (section) => {
    if (ok) ok = matches(section, wanted.next().value);
  });
  const check = iniChecker(kind, false, (problem) => {
    if (!problem.keepable) ok = false;
  });
  readIniLines(text, (line) => {
    check(line);
    sections.add(line);
  });
  sections.end();
  if (!ok || wanted.next().done !== true) {
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
  const keys = expected.keys;
  if (section.keys.size !== ("size" in keys ? keys.size : keys.length)) return false;
  for (const [key, value] of keys) if (section.keys.get(key) !== value) return false;
  return true;
}
