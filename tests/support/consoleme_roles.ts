/**
 * The roles and accounts the test ConsoleMe knows, and its role matching (the OSS group-mapping rules:
 * an exact ARN wins, else every ARN containing the query, case-insensitively).
 *
 * @module
 */

/** One `apps.app_details` entry of `GET /api/v2/get_roles`. */
export interface AppDetail {
  name: string;
  owner: string;
  owner_url: string | null;
  app_url: string | null;
}

/** The `apps` member of a v2 role: `{app_details: [...]}`, `{app_details: null}` or `null`. */
export type RoleApps = { app_details: AppDetail[] | null } | null;

/** A role the test server knows. */
export interface TestRole {
  /** The role ARN, IAM path included (`arn:aws:iam::012345678902:role/team/deployer`). */
  arn: string;
  /** A CLI-only role: left out of console-only lists (`get_roles` without `all=true`, `console_only`). */
  cliOnly?: boolean;
  /** What v2 `get_roles` says under `apps`; default: the server's application list. */
  apps?: RoleApps;
  /** When set, only these users (case-insensitive) are eligible for the role; default: everyone. */
  users?: string[];
}

/** A role given as a bare ARN or as a {@linkcode TestRole}. */
export type RoleInput = string | TestRole;

/** Account ID -> friendly name. Accounts not listed are `Unknown` to ConsoleMe. */
export const DEFAULT_ACCOUNTS: Readonly<Record<string, string>> = {
  "012345678901": "consoleme_oss_1",
  "012345678902": "consoleme_oss_2",
  "012345678903": "test_account",
};

/** The application list every role gets (ConsoleMe's `application_details` config). */
export const DEFAULT_APPS: readonly AppDetail[] = [
  { name: "consoleme", owner: "owner@example.com", owner_url: null, app_url: "https://example.com" },
];

/** The five roles of ConsoleMe's local seed data. */
export const SEED_ROLE_ARNS: readonly string[] = [
  "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin",
  "arn:aws:iam::012345678901:role/consoleme_oss_1_test_user",
  "arn:aws:iam::012345678902:role/consoleme_oss_2_test_admin",
  "arn:aws:iam::012345678902:role/consoleme_oss_2_test_user",
  "arn:aws:iam::012345678903:role/test_account_user",
];

/** A role with an IAM path: its `role_name` is `team/deployer`. */
export const PATH_ROLE_ARN = "arn:aws:iam::012345678902:role/team/deployer";
/** A role in an account ConsoleMe calls `Unknown`; v2 `get_roles` gives it `"apps": null`. */
export const UNKNOWN_ACCOUNT_ROLE_ARN = "arn:aws:iam::111122223333:role/orphan_reader";
/** A CLI-only role (`consoleme-authorized-cli-only`); v2 `get_roles` gives it `{"app_details": null}`. */
export const CLI_ONLY_ROLE_ARN = "arn:aws:iam::012345678903:role/cli_only_deployer";

/**
 * The default role set: the seed roles, {@linkcode PATH_ROLE_ARN}, {@linkcode UNKNOWN_ACCOUNT_ROLE_ARN} and
 * {@linkcode CLI_ONLY_ROLE_ARN}. `test_account_user` and `consoleme_oss_2_test_admin` match one role each,
 * `consoleme_oss_1` matches two.
 */
export function defaultRoles(): TestRole[] {
  return [
    ...SEED_ROLE_ARNS.map((arn) => ({ arn })),
    { arn: PATH_ROLE_ARN },
    { arn: UNKNOWN_ACCOUNT_ROLE_ARN, apps: null },
    { arn: CLI_ONLY_ROLE_ARN, cliOnly: true, apps: { app_details: null } },
  ];
}

/**
 * `n` distinct roles for scale tests, spread over 20 accounts (`100000000000`...`100000000019`, unnamed unless
 * {@linkcode syntheticAccounts} is passed too); every tenth role has an IAM path.
 */
export function syntheticRoles(n: number): TestRole[] {
  return Array.from({ length: n }, (_, i) => {
    const account = String(100000000000 + (i % 20));
    const path = i % 10 === 9 ? `team_${i % 7}/` : "";
    return { arn: `arn:aws:iam::${account}:role/${path}synthetic_role_${String(i).padStart(5, "0")}` };
  });
}

/** Friendly names for the accounts {@linkcode syntheticRoles} uses: `synthetic_00`...`synthetic_19`. */
export function syntheticAccounts(): Record<string, string> {
  return Object.fromEntries(
    Array.from(
      { length: 20 },
      (_, i) => [String(100000000000 + i), `synthetic_${String(i).padStart(2, "0")}`],
    ),
  );
}

/** Turns inputs into roles, dropping duplicate ARNs (first one wins). */
export function normalizeRoles(inputs: readonly RoleInput[]): TestRole[] {
  const seen = new Set<string>();
  const roles: TestRole[] = [];
  for (const input of inputs) {
    const role = typeof input === "string" ? { arn: input } : { ...input };
    if (seen.has(role.arn)) continue;
    seen.add(role.arn);
    roles.push(role);
  }
  return roles;
}

/** The account ID of an ARN (its fifth `:` field). */
export function accountIdOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

/** Everything after `role/` in a role ARN, IAM path included. */
export function roleNameOf(arn: string): string {
  const resource = arn.split(":").slice(5).join(":");
  return resource.startsWith("role/") ? resource.slice("role/".length) : resource;
}

/** The roles `user` may use, sorted by ARN; `consoleOnly` leaves out CLI-only roles. */
export function eligibleRoles(roles: readonly TestRole[], user: string, consoleOnly: boolean): TestRole[] {
  const who = user.toLowerCase();
  return roles
    .filter((role) => !(consoleOnly && role.cliOnly))
    .filter((role) => role.users === undefined || role.users.some((u) => u.toLowerCase() === who))
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/**
 * ConsoleMe's matching of `requested_role` against eligible ARNs: a case-insensitive exact ARN match returns
 * just that ARN; otherwise every ARN containing the query as a case-insensitive substring.
 */
export function matchRoles(eligible: readonly string[], query: string): string[] {
  const q = query.toLowerCase();
  const exact = eligible.find((arn) => arn.toLowerCase() === q);
  if (exact !== undefined) return [exact];
  return [...new Set(eligible.filter((arn) => arn.toLowerCase().includes(q)))];
}

/** One role of `GET /api/v2/get_roles`, with nested optional fields as `null`. */
export function v2Role(
  role: TestRole,
  accounts: Readonly<Record<string, string>>,
  apps: readonly AppDetail[],
): Record<string, unknown> {
  const accountId = accountIdOf(role.arn);
  return {
    arn: role.arn,
    account_id: accountId,
    account_friendly_name: accounts[accountId] ?? "Unknown",
    role_name: roleNameOf(role.arn),
    apps: role.apps === undefined ? { app_details: apps.map((app) => ({ ...app })) } : role.apps,
  };
}
