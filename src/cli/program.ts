/**
 * Builds weep's command tree from the command list: the root command, its global options, and every
 * command in `src/commands/mod.ts`.
 *
 * @module
 */

import { Command, Option } from "@commander-js/extra-typings";
import type { App } from "../app/app.ts";
import { collectList } from "../app/options.ts";
import { COMMANDS } from "../commands/mod.ts";
import { applyHouseStyle } from "./commander_style.ts";
import { GLOBAL_FLAGS, type GlobalFlag } from "../global_flags.ts";
import { VERSION } from "../version.ts";

/** The commander option of a global flag, as the table describes it. */
export function globalOption(flag: GlobalFlag): Option {
  const names = [flag.short, flag.long].filter(Boolean).join(", ");
  const option = new Option(flag.value === undefined ? names : `${names} <${flag.value}>`, flag.description);
  if (flag.choices) option.choices(flag.choices);
  if (flag.list) option.argParser(collectList);
  return option;
}

/** Creates the root `weep` command with global options and every registered command. */
export function buildProgram(app: App): Command {
  const program = new Command("weep")
    .description("Short-lived AWS credentials from ConsoleMe, for the AWS CLI and SDKs")
    .version(VERSION, "-V, --version", "print the version");
  for (const flag of GLOBAL_FLAGS) program.addOption(globalOption(flag));
  program
    .configureHelp({ sortSubcommands: true, showGlobalOptions: true })
    .helpCommand("help [command]", "show help for a command");
  for (const register of COMMANDS) register(program, app);
  // Errors are thrown as UsageErrors (src/cli/report.ts picks the exit code); help goes through the output module.
  applyHouseStyle(program, app.output);
  return program;
}
