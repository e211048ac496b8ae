/**
 * Which existing profile each profile weep wants becomes, for the config editor. Two ways to match:
 *
 * - by name (`weep file`): the profile of that name, if weep manages it;
 * - by owner (`weep generate`): the profile whose marker names this ConsoleMe and the role, whatever it is
 *   called now. A change of naming renames it in place; profiles of another ConsoleMe, and profiles weep did
 *   not write, are never matched, renamed or removed.
 *
 * Pure: sections in, decisions out.
 *
 * @module
 */

import type { IniSection } from "./ini_sections.ts";
import type { ProfileOwner } from "./profile_marker.ts";

/** A profile weep wants in the file: its name, its keys in order (`[key, value]`), and its owner. */
export interface DesiredProfile {
  name: string;
  keys: readonly (readonly [string, string])[];
  /**
   * Keys written only when weep adds the profile, or takes one over that lacks them (`region`): a value
   * already in the file is the user's, and never replaced.
   */
  initialKeys?: readonly (readonly [string, string])[] | undefined;
  /** The ConsoleMe and role the marker names; required when matching by owner. */
  owner?: ProfileOwner | undefined;
}

/** How to match; see {@linkcode matchProfiles}. */
export interface MatchOptions {
  /** Match by owner: the origin of the ConsoleMe being asked (every desired profile has it as owner). */
  origin?: string | undefined;
  /**
   * For a profile with an older marker (no owner): its role when it belongs to `origin` (it is then matched,
   * renamed, upgraded and pruned like the origin's own), `null` when it belongs to another configuration (never
   * touched), `undefined` when that cannot be told (treated like a profile weep did not write).
   */
  legacyRole?: ((section: IniSection) => string | null | undefined) | undefined;
  /** Remove profiles weep manages that are not wanted (by name; by owner: whose role is not `present`). */
  prune?: boolean | undefined;
  /** Roles the ConsoleMe still lists (default: the desired profiles' roles); prune keeps their profiles. */
  present?: ReadonlySet<string> | undefined;
  /** Take over a profile weep did not write (or of another role) when it holds a wanted name. */
  force?: boolean | undefined;
}

/** What happens to an existing section. */
export type SectionAction =
  | { kind: "update"; profile: DesiredProfile; rename: boolean; adopt: boolean }
  | { kind: "remove" };

/** The decisions of {@linkcode matchProfiles}. */
export interface ProfileMatch {
  actions: Map<IniSection, SectionAction>;
  /** Desired profiles that get a new section at the end of the file. */
  added: DesiredProfile[];
  skipped: { name: string; reason: string }[];
  warnings: string[];
}

/** Decides, for `desired`, what happens to each of the file's profile sections `profiles`. */
export function matchProfiles(
  profiles: readonly IniSection[],
  desired: readonly DesiredProfile[],
  options: MatchOptions,
): ProfileMatch {
  const result: ProfileMatch = { actions: new Map(), added: [], skipped: [], warnings: [] };
  if (options.origin === undefined) {
    const byName = new Map(profiles.map((section) => [section.name, section]));
    for (const profile of desired) {
      const section = byName.get(profile.name);
      if (section === undefined) result.added.push(profile);
      else if (section.managed || options.force) {
        result.actions.set(section, { kind: "update", profile, rename: false, adopt: !section.managed });
      } else skip(result, profile, notWeeps(section));
    }
    if (options.prune) {
      const wanted = new Set(desired.map((profile) => profile.name));
      for (const section of profiles) {
        if (section.managed && !wanted.has(section.name)) result.actions.set(section, { kind: "remove" });
      }
    }
    return result;
  }
  return matchByOwner(profiles, desired, options.origin, options, result);
}

function matchByOwner(
  profiles: readonly IniSection[],
  desired: readonly DesiredProfile[],
  origin: string,
  options: MatchOptions,
  result: ProfileMatch,
): ProfileMatch {
  // Profiles with weep's older marker, by the role they belong to (`null`: another configuration's).
  const legacy = new Map<IniSection, string | null | undefined>();
  for (const section of profiles) {
    if (section.managed && section.owner === undefined) legacy.set(section, options.legacyRole?.(section));
  }
  const roleOf: RoleOf = (section) => {
    if (!section.managed) return undefined;
    if (section.owner === undefined) return legacy.get(section) ?? undefined;
    return section.owner.origin === origin ? section.owner.role : undefined;
  };
  // Profiles no run of this ConsoleMe may touch, even with --force: another ConsoleMe's or configuration's.
  const foreign: Foreign = (section) =>
    section.managed &&
    (section.owner === undefined ? legacy.get(section) === null : section.owner.origin !== origin);
  // The origin's own profiles, by role, in file order (an array only for a role with more than one).
  const ours = new Map<string, IniSection | IniSection[]>();
  for (const section of profiles) {
    const role = roleOf(section);
    if (role === undefined) continue;
    const held = ours.get(role);
    if (held === undefined) ours.set(role, section);
    else if (Array.isArray(held)) held.push(section);
    else ours.set(role, [held, section]);
  }
  if (options.prune) {
    const present = options.present ?? new Set(desired.map((profile) => profile.owner?.role));
    for (const section of profiles) {
      const role = roleOf(section);
      if (role !== undefined && !present.has(role)) result.actions.set(section, { kind: "remove" });
    }
  }
  // Each desired profile takes the section of its role that has its name, else the first one not removed. The
  // names wanted by a rename or an addition (a rename also says which section it renames).
  // matchedSections[i] becomes matchedProfiles[i].
  const matchedSections: IniSection[] = [];
  const matchedProfiles: DesiredProfile[] = [];
  const unplaced: DesiredProfile[] = [];
  const wants = new Map<string, DesiredProfile>();
  const renames = new Map<string, IniSection>();
  for (const profile of desired) {
    const pick = pickSection(ours.get(profile.owner?.role ?? ""), profile, result.actions);
    if (pick === undefined) {
      unplaced.push(profile);
      continue;
    }
    matchedSections.push(pick);
    matchedProfiles.push(profile);
    if (profile.name === pick.name) continue;
    wants.set(profile.name, profile);
    renames.set(profile.name, pick);
  }
  for (const profile of unplaced) {
    wants.set(profile.name, profile);
    renames.delete(profile.name);
  }
  if (wants.size > 0) {
    const matched = new Map(
      matchedSections.map((section, i) => [section, matchedProfiles[i] as DesiredProfile]),
    );
    settleNames(profiles, { matched, wants, renames, roleOf, foreign }, options, result);
  }
  matchedSections.forEach((section, i) => {
    const profile = matchedProfiles[i] as DesiredProfile;
    const rename = renames.size > 0 && renames.get(profile.name) === section;
    result.actions.set(section, { kind: "update", profile, rename, adopt: false });
  });
  for (const profile of unplaced) if (wants.has(profile.name)) result.added.push(profile);
  return result;
}

/** Of the sections `held` for a profile's role, the one with its name, else the first one; none removed. */
function pickSection(
  held: IniSection | IniSection[] | undefined,
  profile: DesiredProfile,
  actions: ReadonlyMap<IniSection, SectionAction>,
): IniSection | undefined {
  if (!Array.isArray(held)) return held === undefined || actions.has(held) ? undefined : held;
  let pick: IniSection | undefined;
  for (const section of held) {
    if (actions.has(section)) continue;
    if (section.name === profile.name) return section;
    pick ??= section;
  }
  return pick;
}

/** What {@linkcode settleNames} works on: the matches, and the names wanted by renames and additions. */
interface Naming {
  matched: ReadonlyMap<IniSection, DesiredProfile>;
  wants: Map<string, DesiredProfile>;
  renames: Map<string, IniSection>;
  roleOf: RoleOf;
  foreign: Foreign;
}

/** The role a profile of this ConsoleMe (or of this configuration, with the older marker) is for. */
type RoleOf = (section: IniSection) => string | undefined;
/** Whether a profile is another ConsoleMe's or another configuration's. */
type Foreign = (section: IniSection) => boolean;

/**
 * Gives up each wanted name a section that stays holds: a blocked rename keeps its old name (which may in turn
 * block another), a blocked addition is skipped, or takes the holder over where that is allowed.
 */
function settleNames(
  profiles: readonly IniSection[],
  naming: Naming,
  options: MatchOptions,
  result: ProfileMatch,
) {
  const { matched, wants, renames, roleOf, foreign } = naming;
  // Sections that keep their name.
  const holders = new Map<string, IniSection>();
  for (const section of profiles) {
    if (result.actions.has(section) || (matched.get(section)?.name ?? section.name) !== section.name) {
      continue;
    }
    holders.set(section.name, section);
  }
  // Work until no wanted name is held.
  const queue = [...wants.keys()].filter((name) => holders.has(name));
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    const want = wants.get(name);
    const holder = holders.get(name);
    const from = renames.get(name);
    if (want === undefined || holder === undefined || holder === from) continue;
    wants.delete(name);
    renames.delete(name);
    const reason = holderText(holder, roleOf, matched, foreign);
    if (from !== undefined) {
      holders.set(from.name, from);
      if (wants.has(from.name)) queue.push(from.name);
      result.warnings.push(
        `Profile "${from.name}" keeps its name: "${name}" is taken by ${reason}; rename or remove that ` +
          "profile, then run weep again",
      );
    } else if (!matched.has(holder) && roleOf(holder) !== undefined && holder.owner === undefined) {
      // An older marker of this configuration: weep matched those by name, and still does.
      result.actions.set(holder, { kind: "update", profile: want, rename: false, adopt: false });
    } else {
      // --force takes over a profile weep did not write, or one of this ConsoleMe's for a role not in this
      // run; never a profile of another ConsoleMe or another configuration.
      const takeable = !matched.has(holder) && !foreign(holder);
      if (takeable && options.force) {
        result.actions.set(holder, { kind: "update", profile: want, rename: false, adopt: true });
      } else {
        skip(result, want, holder.managed ? `the name is taken by ${reason}` : notWeeps(holder), takeable);
      }
    }
  }
}

function notWeeps(section: IniSection): string {
  return `it was not written by weep (no marker under its header at line ${section.start + 1})`;
}

function holderText(
  holder: IniSection,
  roleOf: RoleOf,
  matched: ReadonlyMap<IniSection, DesiredProfile>,
  foreign: Foreign,
): string {
  const at = `(line ${holder.start + 1})`;
  const role = roleOf(holder);
  if (role !== undefined) {
    return matched.has(holder)
      ? `weep's profile for "${role}" ${at}`
      : `weep's profile for "${role}", a role not in this run ${at}`;
  }
  if (holder.owner) return `weep's profile from the ConsoleMe at "${holder.owner.origin}" ${at}`;
  if (foreign(holder)) return `a profile weep wrote for another configuration ${at}`;
  return holder.managed
    ? `a profile with weep's older marker that does not run weep credential_process ${at}`
    : `a profile weep did not write ${at}`;
}

function skip(result: ProfileMatch, profile: DesiredProfile, reason: string, forceHelps = true): void {
  result.skipped.push({ name: profile.name, reason });
  result.warnings.push(
    `Skipped profile "${profile.name}": ${reason}${forceHelps ? "; use --force to let weep manage it" : ""}`,
  );
}
