/**
 * The role picker of `console`, `export` and `file`: given no role, on a terminal, the user picks one of their
 * roles by typing any part of its account name, account number or role name. Never shown when stdin or stderr
 * is not a terminal, when `WEEP_DISABLE_INTERACTIVE_PROMPTS` is set, nor by `credential_process` (under an SDK,
 * stdin is not the user).
 *
 * @module
 */

import type { App } from "./app.ts";
import type { GlobalOptions } from "../global_flags.ts";
import { connectConsoleMe } from "../auth/connect.ts";
import { accountLabel } from "./role_table.ts";
import type { ConsoleMeRole } from "../consoleme/types.ts";
import { WeepError } from "../errors.ts";
import { outsideText } from "../platform/outside_text.ts";
import type { PickerItem } from "../platform/picker.ts";
import { processTerminal, runPicker } from "../platform/picker_tty.ts";

/** The variable that turns the picker off (`1`, `true`, `yes` or `on`), as in Netflix weep. */
export const DISABLE_PROMPTS = "WEEP_DISABLE_INTERACTIVE_PROMPTS";

/** Whether the picker may be shown: both stdin and stderr are terminals and prompts are not turned off. */
export function canPrompt(
  env: (name: string) => string | undefined,
  terminals: { stdin: boolean; stderr: boolean },
): boolean {
  return terminals.stdin && terminals.stderr &&
    !/^(1|true|yes|on)$/i.test((env(DISABLE_PROMPTS) ?? "").trim());
}

/** The picker's rows for `roles`: account, account number, role name; searched with the ARN too. */
export function roleItems(roles: readonly ConsoleMeRole[]): PickerItem[] {
  return roles.map((role) => ({
    columns: [accountLabel(role), role.accountId, role.roleName].map(outsideText),
    search: `${role.accountName} ${role.accountId} ${role.roleName} ${role.arn}`.toLowerCase(),
    value: role.arn,
  }));
}

/**
 * The role the user gave; without one, the ARN they pick from their roles when {@linkcode canPrompt};
 * otherwise `undefined` (the command then does what it does without a role).
 */
export async function roleOrPick(
  app: App,
  globals: GlobalOptions,
  given: string | undefined,
  method: string,
): Promise<string | undefined> {
  if (given) return given;
  if (!canPrompt(app.env, { stdin: Deno.stdin.isTerminal(), stderr: Deno.stderr.isTerminal() })) {
    return undefined;
  }
  const { config } = await app.loadConfig(globals);
  const roles = await (await connectConsoleMe(app, config, method)).getRoles();
  if (roles.length === 0) {
    throw new WeepError("ConsoleMe lists no roles for you, so there is none to pick", {
      hints: ["Ask for access to a role in ConsoleMe, then run the command again"],
    });
  }
  const prompt = "Role (type part of an account name or number, or a role name): ";
  return await runPicker(roleItems(roles), prompt, processTerminal(), app.signal);
}
