/**
 * Which of the roles ConsoleMe lists this user used through weep lately: the usage log (`log.ts`) read
 * against the role list, for `generate --used` and `list --used`. Pure, apart from
 * {@linkcode readUsedRoles}.
 *
 * @module
 */

import type { ConsoleMeRole } from "../consoleme/types.ts";
import { errorText, UsageError, WeepError } from "../errors.ts";
import { listUsage, type UsageRecord } from "./log.ts";

/** `--used` without a period: the last 30 days. */
export const DEFAULT_SINCE = "30d";

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** A `--used` period: as given, and its length. */
export interface UsedPeriod {
  text: string;
  ms: number;
}

/**
 * The period of a `--used [period]` option: `undefined` when it was not given, {@linkcode DEFAULT_SINCE}
 * without a value; a {@linkcode UsageError} for a value that is no period.
 */
export function usedOption(value: string | boolean | undefined): UsedPeriod | undefined {
  if (value === undefined || value === false) return undefined;
  const text = value === true ? DEFAULT_SINCE : value;
  return { text, ms: parseSince(text) };
}

/**
 * The length of a `--used` period in milliseconds: `<n>h`, `<n>d` or `<n>w` (hours, days, weeks), or a bare
 * number of days. Anything else is a {@linkcode UsageError}.
 */
export function parseSince(text: string, flag = "--used"): number {
  const match = /^(\d{1,5})\s*([hdw]?)$/i.exec(text.trim());
  const amount = Number(match?.[1]);
  if (!match || amount === 0) {
    const shown = JSON.stringify(text);
    throw new UsageError(`Invalid ${flag} period ${shown}: expected a length such as 30d, 2w or 12h`, {
      hints: ["h is hours, d days and w weeks; a bare number is days"],
    });
  }
  const unit = (match[2] || "d").toLowerCase() as keyof typeof UNIT_MS;
  return amount * UNIT_MS[unit];
}

/** A role and its uses in the period. */
export interface RoleUse {
  role: ConsoleMeRole;
  /** Last recorded use. */
  last: Date;
  /** Uses in the whole log (counted at most once an hour). */
  count: number;
}

/**
 * The role of `roles` that ConsoleMe would hand out for `asked`, by its rule: an ARN equal to `asked`
 * ignoring case, else the one ARN that contains it ignoring case; `undefined` when none or several do.
 */
export function resolveAskedRole(
  asked: string,
  roles: readonly ConsoleMeRole[],
  byArn: ReadonlyMap<string, ConsoleMeRole>,
): ConsoleMeRole | undefined {
  const query = asked.toLowerCase();
  const exact = byArn.get(query);
  if (exact) return exact;
  let found: ConsoleMeRole | undefined;
  for (const role of roles) {
    if (!role.arn.toLowerCase().includes(query) || role.arn === found?.arn) continue;
    if (found) return undefined;
    found = role;
  }
  return found;
}

/**
 * The roles of `roles` (in their order) that the records of ConsoleMe `origin` show used at or after
 * `since`. Records of one role (by ARN and by search strings) are added up; records of roles ConsoleMe no
 * longer lists, and search strings that now match no role or several, are left out.
 */
export function usedRoles(
  roles: readonly ConsoleMeRole[],
  records: readonly UsageRecord[],
  origin: string,
  since: Date,
): RoleUse[] {
  const byArn = new Map<string, ConsoleMeRole>();
  for (const role of roles) byArn.set(role.arn.toLowerCase(), role);
  const uses = new Map<string, { last: Date; count: number }>();
  for (const record of records) {
    if (record.origin !== origin) continue;
    const role = resolveAskedRole(record.role, roles, byArn);
    if (role === undefined) continue;
    const use = uses.get(role.arn);
    if (use === undefined) uses.set(role.arn, { last: record.last, count: record.count });
    else {
      if (record.last > use.last) use.last = record.last;
      use.count += record.count;
    }
  }
  const result: RoleUse[] = [];
  const seen = new Set<string>();
  for (const role of roles) {
    const use = uses.get(role.arn);
    if (use === undefined || use.last < since || seen.has(role.arn)) continue;
    seen.add(role.arn);
    result.push({ role, last: use.last, count: use.count });
  }
  return result;
}

/** {@linkcode usedRoles} over the records in `dir`, for the `period` up to `now`. */
export async function readUsedRoles(
  dir: string,
  roles: readonly ConsoleMeRole[],
  origin: string,
  period: UsedPeriod,
  now: Date,
): Promise<RoleUse[]> {
  let records: UsageRecord[];
  try {
    records = await listUsage(dir, now);
  } catch (error) {
    throw new WeepError(`Cannot read weep's usage log in "${dir}": ${errorText(error)}`, {
      hints: ["It must be a directory you own and may read; deleting it forgets every recorded use"],
      cause: error,
    });
  }
  return usedRoles(roles, records, origin, new Date(now.getTime() - period.ms));
}
