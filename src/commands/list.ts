/**
 * `weep list [SEARCH]`: the roles you may use, from ConsoleMe. An aligned table for people, `--json` for
 * programs, `-s` for one ARN per line; `--account` and a search string narrow the list.
 *
 * @module
 */

import { type Command, Option } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { connectConsoleMe } from "../auth/connect.ts";
import type { ConsoleMeRole } from "../consoleme/types.ts";
import { readAwsFile } from "../aws/ini/edit_file.ts";
import { roleProfiles } from "../aws/role_profiles.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";
import { roleTable } from "../app/role_table.ts";
import { DEFAULT_SINCE, readUsedRoles, type RoleUse, usedOption } from "../usage/used_roles.ts";

/** How `list` prints. */
export type ListFormat = "table" | "json" | "arns";

/** The typed input of `list`. */
export interface ListInput {
  /** Keep roles of this account (ID, or name case-insensitively). */
  account?: string | undefined;
  /** Keep roles whose ARN, account name or ID, or role name contains this (case-insensitive). */
  search?: string | undefined;
  /** `-i`: keep only ARNs that end in `InstanceProfile`. */
  instance?: boolean | undefined;
  /** `-p`: keep only roles with a profile, and show the profiles' names (role ARN → names). */
  profiles?: ReadonlyMap<string, readonly string[]> | undefined;
  /** `--used`: keep only roles used through weep in `period`, and show when and how often (role ARN → use). */
  used?: { period: string; uses: ReadonlyMap<string, RoleUse> } | undefined;
  /** Add the app name and owner columns. */
  extended: boolean;
  format: ListFormat;
}

/** What `list` prints: `stdout` is the listing; `note` (for stderr) says why it is empty. */
export interface ListResult {
  stdout: string;
  note?: string;
}

/**
 * The roles that pass the `--account`, `--instance`, `--profiles` and `--used` filters and the search string,
 * in order.
 */
export function filterRoles(
  roles: readonly ConsoleMeRole[],
  input: Pick<ListInput, "account" | "search" | "instance" | "profiles" | "used">,
): ConsoleMeRole[] {
  const account = input.account?.trim();
  const search = input.search?.trim().toLowerCase();
  return roles.filter((role) => {
    if (input.instance && !role.arn.endsWith("InstanceProfile")) return false;
    if (input.profiles && !input.profiles.has(role.arn)) return false;
    if (input.used && !input.used.uses.has(role.arn)) return false;
    if (account && role.accountId !== account && role.accountName.toLowerCase() !== account.toLowerCase()) {
      return false;
    }
    if (!search) return true;
    return [role.arn, role.accountName, role.accountId, role.roleName].some((field) =>
      field.toLowerCase().includes(search)
    );
  });
}

/** A role as `list --json` prints it. */
export interface RoleJson {
  arn: string;
  account_id: string;
  account_name: string;
  role_name: string;
  apps: { name: string; owner: string; owner_url: string; app_url: string }[];
  /** With `--profiles`: the names of the profiles that use the role. */
  profiles?: string[];
  /** With `--used`: the last recorded use (RFC 3339 UTC) and the number of uses (at most one an hour). */
  last_used?: string;
  uses?: number;
}

/** The `--json` form of a role (ConsoleMe's field names; `apps` is a flat list). */
export function roleJson(role: ConsoleMeRole, profiles?: readonly string[], use?: RoleUse): RoleJson {
  const json: RoleJson = {
    arn: role.arn,
    account_id: role.accountId,
    account_name: role.accountName,
    role_name: role.roleName,
    apps: role.apps.map((app) => ({
      name: app.name,
      owner: app.owner,
      owner_url: app.ownerUrl,
      app_url: app.appUrl,
    })),
  };
  if (profiles) json.profiles = [...profiles];
  if (use) {
    json.last_used = use.last.toISOString().replace(/\.\d{3}Z$/, "Z");
    json.uses = use.count;
  }
  return json;
}

/** Filters and formats the roles ConsoleMe returned. Pure. */
export function formatList(roles: readonly ConsoleMeRole[], input: ListInput): ListResult {
  const kept = filterRoles(roles, input);
  const { profiles } = input;
  const uses = input.used?.uses;
  if (input.format === "json") {
    const json = kept.map((role) =>
      roleJson(role, profiles ? profiles.get(role.arn) ?? [] : undefined, uses?.get(role.arn))
    );
    return { stdout: JSON.stringify(json, null, 2) + "\n" };
  }
  if (kept.length === 0) {
    const filtered = input.account || input.search || input.instance || input.profiles || input.used;
    const what = [
      input.instance ? " ending in InstanceProfile" : "",
      input.profiles ? " with a profile in the AWS config" : "",
      input.used ? ` used through weep in the last ${input.used.period}` : "",
      input.search ? ` matches "${input.search}"` : "",
      input.account ? ` in account "${input.account}"` : "",
    ].join("");
    return {
      stdout: "",
      note: filtered
        ? `No role${what}; run weep list without filters to see all ${roles.length} roles`
        : "ConsoleMe lists no roles for you",
    };
  }
  if (input.format === "arns") return { stdout: kept.map((role) => role.arn + "\n").join("") };
  return { stdout: roleTable(kept, input.extended, profiles, uses) };
}

/** Registers `weep list`. */
export function registerList(program: Command, app: App): void {
  program
    .command("list")
    .description("list the roles you may use")
    .argument("[search]", "show only roles whose ARN, account name or ID, or role name contains this")
    .option("-a, --account <account>", "show only roles of this account (ID or name)")
    .option("-e, --extended", "add the app name and app owner columns")
    .addOption(new Option("--extended-info", "same as --extended").hideHelp())
    .option("-s, --short-info", "print only role ARNs, one per line")
    .option("--json", "print a JSON array of roles")
    .option("-i, --instance", "show only roles whose ARN ends in InstanceProfile")
    .option("-p, --profiles", "show only roles with a profile in the AWS config, and the profiles' names")
    .option(
      "--used [period]",
      `show only roles you used through weep in the last period, and when (default ${DEFAULT_SINCE}; h, d, w)`,
    )
    .option("--all", "accepted for compatibility; has no effect (every role is always listed)")
    .addHelpText(
      "after",
      "\nExamples:\n  weep list\n  weep list prod --extended\n  weep list --account 123456789012 --json\n" +
        "  weep list -s admin | head -n 1\n  weep list --profiles\n  weep list --used 90d",
    )
    .action(async (search, options, command) => {
      const globals = globalsOf(command);
      const period = usedOption(options.used);
      const { config } = await app.loadConfig(globals);
      const client = await connectConsoleMe(app, config, "list");
      const roles = await client.getRoles();
      const format: ListFormat = options.json ? "json" : options.shortInfo ? "arns" : "table";
      const profiles = options.profiles
        ? roleProfiles(await readAwsFile(app.paths.configFile), config["aws-profiles"], Deno.build.os)
        : undefined;
      let used: ListInput["used"];
      if (period !== undefined) {
        const origin = consoleMeOrigin(config.consoleme_url);
        const uses = await readUsedRoles(app.paths.usageDir, roles, origin, period, app.now());
        used = { period: period.text, uses: new Map(uses.map((use) => [use.role.arn, use])) };
      }
      const result = formatList(roles, {
        account: options.account,
        search,
        instance: options.instance,
        profiles,
        used,
        extended: Boolean(options.extended || options.extendedInfo),
        format,
      });
      if (result.note) app.output.info(result.note);
      app.output.stdout(result.stdout);
    });
}
