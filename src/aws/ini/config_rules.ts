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
 * Throws a {@linkcode WeepError} when desired profiles cannot be told apart: a name listed twice, or, when
 * matching by the owner `origin`, a profile that does not name that origin and one role (each role at most
 * once). What each profile holds is checked by {@linkcode checkWritable} before it is written.
 */
export function validateDesired(desired: readonly ProfileInput[], origin?: string): void {
  const names = new Set<string>();
  const roles = new Set<string>();
  for (const profile of desired) {
    if (names.has(profile.name)) throw cannotWrite(profile, "it is listed twice");
    names.add(profile.name);
    if (origin === undefined) continue;
    if (profile.owner?.origin !== origin || !profile.owner.role) {
      throw cannotWrite(profile, `it does not come from "${origin}"`);
    }
    if (roles.has(profile.owner.role)) {
      throw cannotWrite(profile, `role "${profile.owner.role}" has another profile`);
    }
    roles.add(profile.owner.role);
  }
}

/**
 * Throws a {@linkcode WeepError} when `profile` cannot be written so that every AWS client reads it back
 * unchanged: a name botocore cannot read, a key name that is none, a key listed twice, a value with a line break,
 * padded with spaces, or with what some SDKs read as a comment.
 */
export function checkWritable(profile: ProfileInput, kind: FileKind): void {
  const check = checkProfileName(profile.name, kind);
  if (!check.readable) throw cannotWrite(profile, check.reason ?? "botocore cannot read the name");
  const problem = keysProblem(profile.keys, profile.initialKeys ?? []);
  if (problem !== undefined) throw cannotWrite(profile, problem);
}

function cannotWrite(profile: ProfileInput, what: string): WeepError {
  return new WeepError(`Cannot write profile "${profile.name}": ${what}`);
}

/** What is wrong with a profile's keys and values (`keys` then `initialKeys`, together), if anything. */
function keysProblem(
  keys: readonly (readonly [string, string])[],
  initialKeys: readonly (readonly [string, string])[],
): string | undefined {
  const count = keys.length + initialKeys.length;
  for (let i = 0; i < count; i++) {
    const [key, value] = (i < keys.length ? keys[i] : initialKeys[i - keys.length]) as readonly [
      string,
      string,
    ];
    if (!/^[a-z0-9_]+$/.test(key)) return `"${key}" is not a valid key name`;
    for (let j = 0; j < i; j++) {
      const earlier = (j < keys.length ? keys[j] : initialKeys[j - keys.length]) as readonly [string, string];
      if (earlier[0] === key) return `key "${key}" is listed twice`;
    }
    // Never reveal the value: it may be a secret.
    if (/[\r\n]/.test(value)) return `the value of "${key}" contains a line break`;
    if (value === "" || value.trim() !== value || pyStrip(value) !== value) {
      return `the value of "${key}" is empty or padded with spaces`;
    }
    if (/(^|\s)[#;]/.test(value)) {
      return `the value of "${key}" contains "#" or ";" after a space, which some SDKs read as a comment`;
    }
  }
  return undefined;
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
