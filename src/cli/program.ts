/**
 * Builds weep's command tree from the command list: the root command, its global options, and every
 * command in `src/commands/mod.ts`.
 *
 * @module
 */

import { Command, Option } from "@commander-js/extra-typings";
import { type App, collectList } from "../app.ts";
import { COMMANDS } from "../commands/mod.ts";
import { LOG_FORMATS, LOG_LEVELS } from "../platform/output.ts";
import { VERSION } from "../version.ts";

/** Creates the root `weep` command with global options and every registered command. */
export function buildProgram(app: App): Command {
  const program = new Command("weep")
    .description("Short-lived AWS credentials from ConsoleMe, for the AWS CLI and SDKs")
    .version(VERSION, "-V, --version", "print the version")
    .option("-c, --config <file>", "use this YAML config file instead of ~/.aws/weep/weep.yaml")
    .option("--extra-config-file <file>", "merge this YAML config file over the loaded config")
    .option("-n, --no-ip", "ask for credentials without IP restrictions")
    .option("-A, --assume-role <arn>", "assume this role after getting credentials (repeatable)", collectList)
    .option("-r, --region <region>", "AWS region for STS calls (default: aws.region)")
    .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS))
    .addOption(new Option("--log-format <format>", "log format on stderr").choices(LOG_FORMATS))
    .option(
      "--log-file <file>",
      "also write log lines to this file (under ~/.aws, e.g. ~/.aws/weep/weep.log)",
    )
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: true, showGlobalOptions: true })
    .helpCommand("help [command]", "show help for a command")
    // Set before commands are added so every subcommand inherits them: errors are thrown (src/cli/main.ts
    // reports them and picks the exit code) and help goes through the output module.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => app.output.stdout(text),
      writeErr: (text) => app.output.note(text),
      outputError: () => {},
    });
  for (const register of COMMANDS) register(program, app);
  return program;
}
