/**
 * `weep completion bash|zsh|fish|powershell`: shell completion scripts generated from the command tree, so
 * every command and option that exists is completed and nothing else.
 *
 * @module
 */

import { Argument, type Command } from "@commander-js/extra-typings";
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

type AnyCommand = Command<unknown[], Record<string, unknown>, Record<string, unknown>>;

/** Reads the completion tree from a commander program; the root's options are offered on every command. */
export function commandTree(command: AnyCommand, inherited: OptionNode[] = []): CommandNode {
  const own: OptionNode[] = command.options.filter((o) => !o.hidden).map((o) => ({
    long: o.long,
    short: o.short,
    description: o.description,
    takesValue: o.required || o.optional,
    choices: o.argChoices,
    file: /^--(output|config)$|-file$/.test(o.long ?? ""),
  }));
  const global = inherited.length ? inherited : own.filter((o) => o.long !== "--version");
  const options = [...own, ...(inherited.length ? inherited : [])];
  options.push({ long: "--help", short: "-h", description: "show help", takesValue: false, file: false });
  const commands = command.commands
    .filter((sub) => !(sub as unknown as { _hidden?: boolean })._hidden)
    .map((sub) => commandTree(sub as unknown as AnyCommand, global));
  const argChoices = command.registeredArguments[0]?.argChoices ?? [];
  return { name: command.name(), description: command.description(), options, commands, argChoices };
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
      const tree = commandTree(program as unknown as AnyCommand);
      app.output.stdout(completionScript(shell, tree));
    });
}
