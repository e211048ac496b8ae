/**
 * Profile names for roles (`weep generate`): the role ARN by default, or a name template (`--name`;
 * `--pretty` is `{account}-{role}`), checked against what each AWS client accepts; and the
 * `--include`/`--exclude` glob filter.
 *
 * @module
 */

import type { AccountRole } from "./arn.ts";
import type { FileKind } from "./ini/ini_sections.ts";
import { checkProfileName, OLD_JS_SDK } from "./ini/profile_name.ts";
import { parseTemplate, PRETTY_TEMPLATE, type ProfileTemplate, renderTemplate } from "./profile_template.ts";

/** A role and the profile name it gets. */
export interface RoleProfile {
  name: string;
  role: AccountRole;
}

/** The outcome of {@linkcode nameProfiles}. */
export interface ProfileNaming {
  /** Roles in input order (duplicates of an ARN dropped), each with a distinct name botocore can read. */
  profiles: RoleProfile[];
  /** Roles left out because botocore could not read their profile name. */
  skipped: { arn: string; name: string; reason: string }[];
  /** Lines to show the user: collisions, skips, names some SDKs ignore. */
  warnings: string[];
}

/** Options for {@linkcode nameProfiles}. */
export interface NamingOptions {
  /** How to name profiles; without one, by role ARN. */
  template?: ProfileTemplate | undefined;
  /** The file the profiles go to (default "config"). */
  kind?: FileKind;
}

const PRETTY = parseTemplate(PRETTY_TEMPLATE) as ProfileTemplate;

/**
 * weep's `--pretty` name, `{account}-{role}`: account name and role name (IAM path kept, `/` included), each
 * with `_` and spaces turned into `-` and lowercased, joined by `-`. An account ConsoleMe calls `Unknown` (or
 * leaves empty) is named by its id, so unknown accounts no longer collide.
 */
export function prettyProfileName(role: AccountRole): string {
  return renderTemplate(PRETTY, role);
}

/**
 * Names a profile for each role. Names that would collide get the account id appended (`-<account id>`),
 * and the ARN as a last resort; the result does not depend on the order of `roles`. A name botocore cannot
 * read is skipped with a warning; a name that only other SDKs ignore is kept, with a warning naming them.
 */
export function nameProfiles(roles: readonly AccountRole[], options: NamingOptions): ProfileNaming {
  const kind = options.kind ?? "config";
  const seen = new Set<string>();
  const unique: AccountRole[] = [];
  for (const role of roles) {
    if (seen.has(role.arn)) continue;
    seen.add(role.arn);
    unique.push(role);
  }
  seen.clear();
  // names[i] is the name of unique[i].
  const names = unique.map((role) => options.template ? renderTemplate(options.template, role) : role.arn);
  const warnings: string[] = [];
  for (const group of collisions(unique, names)) {
    const arns = group.map((i) => (unique[i] as AccountRole).arn).sort();
    for (const i of group) names[i] = `${names[i]}-${(unique[i] as AccountRole).accountId}`;
    warnings.push(
      `Roles ${arns.map((a) => `"${a}"`).join(", ")} share a profile name; each gets its account id appended`,
    );
  }
  for (const group of collisions(unique, names)) {
    for (const i of group) names[i] = (unique[i] as AccountRole).arn;
    warnings.push(
      `Profiles for ${
        group.map((i) => `"${(unique[i] as AccountRole).arn}"`).join(", ")
      } are named by their ` +
        "ARN to stay distinct",
    );
  }
  // Only contrived account names (one that looks like an ARN) get here; number them to stay distinct.
  for (let groups = collisions(unique, names); groups.length > 0; groups = collisions(unique, names)) {
    for (const group of groups) group.forEach((i, n) => n > 0 && (names[i] = `${names[i]}-${n + 1}`));
  }
  const result: ProfileNaming = { profiles: [], skipped: [], warnings };
  let oldJs = 0;
  unique.forEach((role, i) => {
    const name = names[i] as string;
    const check = checkProfileName(name, kind);
    if (!check.readable) {
      const reason = check.reason ?? "botocore cannot read the name";
      result.skipped.push({ arn: role.arn, name, reason });
      warnings.push(`Skipped role "${role.arn}": profile name "${name}" cannot be used (${reason})`);
      return;
    }
    if (check.ignoredBy.length > 0) {
      warnings.push(
        `Profile "${name}" is invisible to ${check.ignoredBy.join(" and ")} (unsupported characters)`,
      );
    }
    if (check.oldJsIgnores) oldJs++;
    result.profiles.push({ name, role });
  });
  if (oldJs > 0) {
    warnings.push(`${oldJs} profile name(s) contain ".", "/", "%", ":" or "+", which ${OLD_JS_SDK} ignore`);
  }
  return result;
}

/**
 * Groups of indexes into `roles` (each group sorted by ARN) whose `names` are the same; none when every name is
 * distinct, which takes one pass and no group.
 */
function collisions(roles: readonly AccountRole[], names: readonly string[]): number[][] {
  const first = new Map<string, number>();
  const groups = new Map<string, number[]>();
  names.forEach((name, i) => {
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else {
      const group = groups.get(name);
      if (group === undefined) groups.set(name, [earlier, i]);
      else group.push(i);
    }
  });
  const arn = (i: number) => (roles[i] as AccountRole).arn;
  return [...groups.values()].map((group) =>
    group.sort((p, q) => (arn(p) < arn(q) ? -1 : arn(p) > arn(q) ? 1 : 0))
  );
}

/** True when `text` matches the glob `pattern` (`*` any run of characters, `?` one character), ignoring case. */
export function matchGlob(pattern: string, text: string): boolean {
  return globPattern(pattern).test(text);
}

/** The regular expression of a glob (see {@linkcode matchGlob}). */
function globPattern(pattern: string): RegExp {
  const source = [...pattern].map((char) =>
    char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")
  ).join("");
  return new RegExp(`^${source}$`, "isu");
}

/** Filters for {@linkcode selectRoles}. */
export interface RoleFilter {
  include?: readonly string[];
  exclude?: readonly string[];
}

/**
 * The roles that match any `include` glob (all roles when there is none) and no `exclude` glob. A glob is
 * matched against the ARN, the account name, the role name (with its IAM path) and the role name without it.
 */
export function selectRoles(roles: readonly AccountRole[], filter: RoleFilter): AccountRole[] {
  const include = (filter.include ?? []).map(globPattern);
  const exclude = (filter.exclude ?? []).map(globPattern);
  if (include.length === 0 && exclude.length === 0) return roles.slice();
  const hits = (role: AccountRole, globs: readonly RegExp[]) => {
    if (globs.length === 0) return false;
    const fields = [role.arn, role.accountName, role.roleName, role.roleName.split("/").at(-1) ?? ""];
    return globs.some((glob) => fields.some((field) => glob.test(field)));
  };
  return roles.filter((role) => (include.length === 0 || hits(role, include)) && !hits(role, exclude));
}
