/**
 * `weep search account [QUERY]` and `weep search role [QUERY]`: ConsoleMe's typeahead search over the
 * accounts it knows and the role ARNs in its cache (every role it knows, not only the ones you may use).
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { connectConsoleMe } from "../auth/connect.ts";
import { parseArn, roleNameOf } from "../aws/arn.ts";
import type { TypeaheadResult } from "../consoleme/types.ts";
import { renderTable } from "../platform/table.ts";

/** An account from a typeahead title. */
export interface AccountHit {
  name: string;
  /** The account ID; empty when the title had none. */
  id: string;
}

/** A role from a typeahead title. */
export interface RoleHit {
  arn: string;
  account_id: string;
  /** Everything after `role/` (IAM path included); the whole resource part for other ARNs. */
  role_name: string;
}

/** Parses an account title `name (123456789012)`; a title without `(id)` is all name. Never throws. */
export function parseAccountTitle(title: string): AccountHit {
  const match = /^(.*?)\s*\((\d+)\)\s*$/.exec(title);
  return match ? { name: match[1]!, id: match[2]! } : { name: title.trim(), id: "" };
}

/** Parses a role ARN title; anything that is not an ARN keeps its text as the role name. */
export function parseRoleTitle(title: string): RoleHit {
  return { arn: title, account_id: parseArn(title)?.accountId ?? "", role_name: roleNameOf(title) };
}

/** Formats account hits as a table (ACCOUNT NAME, ACCOUNT ID) or JSON. */
export function formatAccounts(results: readonly TypeaheadResult[], json: boolean): string {
  const hits = results.map((result) => parseAccountTitle(result.title));
  if (json) return JSON.stringify(hits, null, 2) + "\n";
  return hits.length
    ? renderTable(["ACCOUNT NAME", "ACCOUNT ID"], hits.map((hit) => [hit.name, hit.id]))
    : "";
}

/** Formats role hits as a table (ACCOUNT ID, ROLE NAME, ROLE ARN) or JSON. */
export function formatRoles(results: readonly TypeaheadResult[], json: boolean): string {
  const hits = results.map((result) => parseRoleTitle(result.title));
  if (json) return JSON.stringify(hits, null, 2) + "\n";
  return hits.length
    ? renderTable(
      ["ACCOUNT ID", "ROLE NAME", "ROLE ARN"],
      hits.map((hit) => [hit.account_id, hit.role_name, hit.arn]),
    )
    : "";
}

/** Registers `weep search` with its `account` and `role` subcommands (`weep search` alone shows its help). */
export function registerSearch(program: Command, app: App): void {
  const search = program
    .command("search")
    .description("search the accounts and role ARNs ConsoleMe knows")
    .addHelpText("after", "\nExamples:\n  weep search account prod\n  weep search role deployer --json");
  const run = async (
    command: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
    kind: "account" | "iam_arn",
    query: string,
    json: boolean,
  ) => {
    const { config } = await app.loadConfig(globalsOf(command));
    const client = await connectConsoleMe(app, config, `search ${kind === "account" ? "account" : "role"}`);
    const results = await client.typeahead(kind, query);
    const text = kind === "account" ? formatAccounts(results, json) : formatRoles(results, json);
    if (!json && results.length === 0) {
      app.output.info(`No ${kind === "account" ? "account" : "role ARN"} matches "${query}"`);
    }
    app.output.stdout(text);
  };

  search
    .command("account")
    .description("search accounts by name or ID (case-insensitive substring)")
    .argument("[query]", "text to look for; empty lists every account", "")
    .option("--json", "print a JSON array of {name, id}")
    .action((query, options, command) => run(command, "account", query, Boolean(options.json)));

  search
    .command("role")
    .description(
      "search the role ARNs ConsoleMe knows (case-insensitive substring); includes roles you cannot use",
    )
    .argument("[query]", "text to look for in the ARN, e.g. a role name or account ID", "")
    .option("--json", "print a JSON array of {arn, account_id, role_name}")
    .action((query, options, command) => run(command, "iam_arn", query, Boolean(options.json)));
}
