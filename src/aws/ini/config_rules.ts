/**
 * What the config editor refuses: names, keys and values it cannot write so that every AWS client reads
 * them back unchanged, and files it cannot edit safely.
 *
 * @module
 */

import { WeepError } from "../../errors.ts";
import { pyStrip } from "./ini_parse.ts";
import type { FileKind, IniProblem } from "./ini_sections.ts";
import { checkProfileName } from "./profile_name.ts";
import type { ProfileOwner } from "./profile_marker.ts";

/** A profile as the editor receives it (see `DesiredProfile` in `profile_match.ts`). */
export interface ProfileInput {
  name: string;
  keys: readonly (readonly [string, string])[];
  initialKeys?: readonly (readonly [string, string])[] | undefined;
  owner?: ProfileOwner | undefined;
}

/**
 * Throws a {@linkcode WeepError} when a desired profile cannot be written safely (name, keys or values), or,
 * when matching by the owner `origin`, does not name that origin and one role (each role at most once).
 */
export function validateDesired(desired: readonly ProfileInput[], kind: FileKind, origin?: string): void {
  const names = new Set<string>();
  const roles = new Set<string>();
  for (const profile of desired) {
    const fail = (what: string) => new WeepError(`Cannot write profile "${profile.name}": ${what}`);
    if (names.has(profile.name)) throw fail("it is listed twice");
    names.add(profile.name);
    if (origin !== undefined) {
      if (profile.owner?.origin !== origin || !profile.owner.role) {
        throw fail(`it does not come from "${origin}"`);
      }
      if (roles.has(profile.owner.role)) throw fail(`role "${profile.owner.role}" has another profile`);
      roles.add(profile.owner.role);
    }
    const check = checkProfileName(profile.name, kind);
    if (!check.readable) throw fail(check.reason ?? "botocore cannot read the name");
    const keys = new Set<string>();
    for (const [key, value] of [...profile.keys, ...profile.initialKeys ?? []]) {
      if (!/^[a-z0-9_]+$/.test(key)) throw fail(`"${key}" is not a valid key name`);
      if (keys.has(key)) throw fail(`key "${key}" is listed twice`);
      keys.add(key);
      // Never reveal the value: it may be a secret.
      if (/[\r\n]/.test(value)) throw fail(`the value of "${key}" contains a line break`);
      if (value === "" || value.trim() !== value || pyStrip(value) !== value) {
        throw fail(`the value of "${key}" is empty or padded with spaces`);
      }
      if (/(^|\s)[#;]/.test(value)) {
        throw fail(
          `the value of "${key}" contains "#" or ";" after a space, which some SDKs read as a comment`,
        );
      }
    }
  }
}

/** The error that refuses to edit a file with problems, one hint line per problem. */
export function refusal(problems: IniProblem[], label: string): WeepError {
  const shown = problems.slice(0, 10).map((p) => `Line ${p.line}: ${p.message}`);
  if (problems.length > shown.length) shown.push(`...and ${problems.length - shown.length} more`);
  const count = problems.length === 1 ? "a problem" : `${problems.length} problems`;
  return new WeepError(
    `Refusing to edit "${label}": it has ${count} that AWS tools reject or read differently`,
    {
      hints: [...shown, "Fix the file by hand (weep changed nothing), then run the command again"],
    },
  );
}
