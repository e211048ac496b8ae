/**
 * `weep completion bash|zsh|fish|powershell`: shell completion scripts generated from the command tree, so
 * every command and option that exists is completed and nothing else.
 *
 * @module
 */

import { Argument, type Command, type CommandUnknownOpts, type Option } from "@commander-js/extra-typings";
import type { App } from "../app/app.ts";
import {
  bashScript,
  type CommandNode,
  fishScript,
  type OptionNode,
  zshScript,
} from "../completion/scripts.ts";
import { powershellScript } from "../completion/powershell.ts";

/** The shells weep writes completion scripts for. */
export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;

/** One option of the completion tree. */
function optionNode(option: Option): OptionNode {
  return {
    long: option.long,
    short: option.short,
    description: option.description,
    takesValue: option.required || option.optional,
    choices: option.argChoices,
    file: /^--(output|config)$|-file$/.test(option.long ?? ""),
  };
}

/**
 * Reads the completion tree from a commander program: what its help shows (visible commands and options),
 * with the visible options of the commands above (but `--version`) offered on every command. The `help`
 * command commander adds completes the names of the commands beside it.
 */
export function commandTree(command: CommandUnknownOpts): CommandNode {
  const help = command.createHelp();
  const inherited: Option[] = [];
  for (let above = command.parent; above; above = above.parent) {
    for (const option of above.options) {
      if (!option.hidden && option.long !== "--version") inherited.push(option);
    }
  }
  const subcommands = help.visibleCommands(command);
  const names = subcommands.filter((sub) => command.commands.includes(sub)).map((sub) => sub.name());
  return {
    name: command.name(),
    description: command.description(),
    options: [...help.visibleOptions(command), ...inherited].map(optionNode),
    commands: subcommands.map((sub) =>
      command.commands.includes(sub) ? commandTree(sub) : { ...commandTree(sub), argChoices: names }
    ),
    argChoices: command.registeredArguments[0]?.argChoices ?? [],
  };
}

/** The completion script for `shell`. */
export function completionScript(shell: typeof SHELLS[number], root: CommandNode): string {
  return { bash: bashScript, zsh: zshScript, fish: fishScript, powershell: powershellScript }[shell](root);
}

/** Registers `weep completion <shell>`. */
export function registerCompletion(program: Command, app: App): void {
  program
    .command("completion")
    .description("print a shell completion script (bash, zsh, fish or powershell)")
    .addArgument(new Argument("<shell>", "the shell to complete for").choices(SHELLS))
    .action((shell) => {
      const tree = commandTree(program);
      app.output.stdout(completionScript(shell, tree));
    });
}
