import { assertEquals, assertThrows } from "../support/assert.ts";
import type { ConsoleMeRole } from "../../src/consoleme/types.ts";
import { UsageError } from "../../src/errors.ts";
import type { UsageRecord } from "../../src/usage/log.ts";
import { parseSince, resolveAskedRole, usedOption, usedRoles } from "../../src/usage/used_roles.ts";

const ORIGIN = "https://consoleme.example.com";
const role = (arn: string): ConsoleMeRole => ({
  arn,
  accountId: arn.split(":")[4]!,
  accountName: "prod",
  roleName: arn.split(":role/")[1]!,
  apps: [],
});
const APP = role("arn:aws:iam::111111111111:role/app");
const APP_ADMIN = role("arn:aws:iam::111111111111:role/app_admin");
const DEPLOYER = role("arn:aws:iam::222222222222:role/team/deployer");
const ROLES = [APP, APP_ADMIN, DEPLOYER];
const NOW = new Date("2026-11-30T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const use = (asked: string, last: Date, count = 1, origin = ORIGIN): UsageRecord => ({
  origin,
  role: asked,
  first: daysAgo(100),
  last,
  count,
});

Deno.test("--used periods are hours, days or weeks; a bare number is days; the default is 30 days", () => {
  assertEquals(parseSince("12h"), 12 * 3_600_000);
  assertEquals(parseSince("30d"), 30 * 86_400_000);
  assertEquals(parseSince("2W"), 14 * 86_400_000);
  assertEquals(parseSince(" 7 "), 7 * 86_400_000);
  assertEquals(usedOption(true), { text: "30d", ms: 30 * 86_400_000 });
  assertEquals(usedOption("90d"), { text: "90d", ms: 90 * 86_400_000 });
  assertEquals(usedOption(undefined), undefined);
  for (const bad of ["", "0d", "-1d", "1.5d", "30 days", "1y", "P30D", "123456d"]) {
    const error = assertThrows(() => parseSince(bad));
    assertEquals(error instanceof UsageError, true, "a usage error: exit 2");
    assertEquals(error.message, `Invalid --used period "${bad}": expected a length such as 30d, 2w or 12h`);
  }
});

Deno.test("a search string resolves as ConsoleMe resolves it: an equal ARN in any case, else the one ARN containing it", () => {
  const byArn = new Map(ROLES.map((r) => [r.arn.toLowerCase(), r]));
  assertEquals(resolveAskedRole(APP.arn.toUpperCase(), ROLES, byArn), APP);
  assertEquals(resolveAskedRole("deployer", ROLES, byArn), DEPLOYER);
  assertEquals(resolveAskedRole("APP_ADMIN", ROLES, byArn), APP_ADMIN);
  assertEquals(
    resolveAskedRole("role/app", ROLES, byArn),
    undefined,
    "app and app_admin: ConsoleMe says 901",
  );
  assertEquals(resolveAskedRole("nothing", ROLES, byArn), undefined);
});

Deno.test("usedRoles keeps, in ConsoleMe's order, the roles of this ConsoleMe used since the date", () => {
  const records = [
    use(DEPLOYER.arn, daysAgo(1), 4),
    use(APP.arn, daysAgo(40), 9), // before the period
    use(APP_ADMIN.arn, daysAgo(2), 1, "https://other.example.com"), // another ConsoleMe
    use("arn:aws:iam::333333333333:role/gone", daysAgo(1)), // no longer listed
  ];
  assertEquals(usedRoles(ROLES, records, ORIGIN, daysAgo(30)), [
    { role: DEPLOYER, last: daysAgo(1), count: 4 },
  ]);
  assertEquals(usedRoles(ROLES, records, ORIGIN, daysAgo(60)).map((u) => u.role), [APP, DEPLOYER]);
  assertEquals(usedRoles(ROLES, [], ORIGIN, daysAgo(30)), []);
});

Deno.test("usedRoles adds up one role's records: by ARN, in another case and by search string", () => {
  const records = [
    use(APP_ADMIN.arn, daysAgo(45), 2),
    use(APP_ADMIN.arn.toUpperCase(), daysAgo(3), 5),
    use("app_admin", daysAgo(10), 1),
    use("role/app", daysAgo(1), 7), // ambiguous: counted for no role
  ];
  assertEquals(usedRoles(ROLES, records, ORIGIN, daysAgo(30)), [
    { role: APP_ADMIN, last: daysAgo(3), count: 8 },
  ]);
});
