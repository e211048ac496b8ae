/**
 * commander in weep's house style, set in one place for the whole command tree:
 *
 * - its parse errors become {@linkcode UsageError}s (exit 2) that start with a capital, quote the values the
 *   user typed and end in hint lines: commander's own "(Did you mean …?)" suggestion, the usage line, and the
 *   `--help` to run;
 * - a command that only groups others (`weep cache`, `weep search`) shows its help on stdout and exits 0
 *   when given none of them;
 * - help is never coloured, so commander never probes the terminal's colour support (that reads
 *   environment variables weep's permission set does not grant).
 *
 * @module
 */

import { type Command, CommanderError, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import type { Output } from "../platform/output.ts";

/** What a usage message reads of the command that raised the error. */
export interface CommandView {
  name(): string;
  usage(): string;
  readonly parent: CommandView | null;
  readonly registeredArguments: readonly unknown[];
  /** The arguments commander gave the command (the unknown command first, or the excess arguments). */
  readonly args: readonly string[];
}

/** `weep cache clear`: the words that name `command`. */
export function commandPath(command: CommandView): string {
  const names: string[] = [];
  for (let at: CommandView | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}

/** The names commander suggested (`(Did you mean one of a, b?)`), and the message without them. */
function splitSuggestion(message: string): { text: string; suggested: string[] } {
  const match = /\n\(Did you mean (?:one of )?(.+)\?\)$/.exec(message);
  if (!match) return { text: message, suggested: [] };
  return { text: message.slice(0, match.index), suggested: match[1]!.split(", ") };
}

const quote = (value: string) => `"${value}"`;

/** The long name of an option from its flags (`-p, --port <port>` → `--port`). */
function optionName(flags: string): string {
  const names = flags.split(/[ ,|]+/).filter((word) => word.startsWith("-"));
  return names.find((name) => name.startsWith("--")) ?? names[0] ?? flags;
}

/** `Allowed choices are a, b.` → `Allowed values: a, b`; other details as they are, without a final period. */
function detailOf(detail: string): { reason?: string; hints: string[] } {
  const choices = /^Allowed choices are (.*)\.$/s.exec(detail);
  if (choices) return { hints: [`Allowed values: ${choices[1]}`] };
  const reason = detail.replace(/\.$/, "");
  return reason ? { reason, hints: [] } : { hints: [] };
}

/** The message and hints for a commander parse error raised by `command`. */
export function usageMessage(
  error: { code: string; message: string },
  command: CommandView,
): { message: string; hints: string[] } {
  const path = commandPath(command);
  const where = command.parent ? ` for "${path}"` : "";
  const help = `Run \`${path} --help\` for usage`;
  const { text, suggested } = splitSuggestion(error.message);
  const didYouMean = suggested.length === 0
    ? []
    : [`Did you mean ${suggested.length === 1 ? "" : "one of "}${suggested.map(quote).join(", ")}?`];
  const body = text.replace(/^error: /, "");
  let match: RegExpExecArray | null;
  switch (error.code) {
    case "commander.unknownOption":
      match = /^unknown option '([\s\S]*)'$/.exec(body);
      if (!match) break;
      return {
        message: `Unknown option ${quote(match[1]!)}${where}`,
        hints: [...didYouMean, `Run \`${path} --help\` to see the options`],
      };
    case "commander.unknownCommand":
      return {
        message: `Unknown command ${quote(command.args[0] ?? "")}${where}`,
        hints: [...didYouMean, `Run \`${path} --help\` to see the commands`],
      };
    case "commander.excessArguments": {
      const expected = command.registeredArguments.length;
      const got = command.args;
      return {
        message: `Too many arguments${where}: it takes ${expected === 0 ? "none" : `at most ${expected}`}, ` +
          `got ${got.length} (${got.map(quote).join(", ")})`,
        hints: [
          ...(expected > 0 ? ["Quote an argument that contains spaces"] : []),
          `Usage: ${path} ${command.usage()}`,
        ],
      };
    }
    case "commander.missingArgument":
      match = /^missing required argument '(.*)'$/s.exec(body);
      if (!match) break;
      return {
        message: `Missing the argument ${quote(match[1]!)}${where}`,
        hints: [`Usage: ${path} ${command.usage()}`, help],
      };
    case "commander.optionMissingArgument":
      match = /^option '(.*)' argument missing$/s.exec(body);
      if (!match) break;
      return { message: `Missing a value for ${optionName(match[1]!)}`, hints: [`Usage: ${match[1]}`, help] };
    case "commander.invalidArgument": {
      match = /^option '(.*?)' argument '([\s\S]*)' is invalid\. ([\s\S]*)$/.exec(body);
      const argument = match
        ? undefined
        : /^command-argument value '([\s\S]*)' is invalid for argument '(.*?)'\. ([\s\S]*)$/.exec(body);
      if (!match && !argument) break;
      const [value, subject, detail] = match
        ? [match[2]!, optionName(match[1]!), match[3]!]
        : [argument![1]!, `the argument <${argument![2]!}>`, argument![3]!];
      const { reason, hints } = detailOf(detail);
      return {
        message: `Invalid value ${quote(value)} for ${subject}${reason ? `: ${reason}` : ""}`,
        hints: [...hints, help],
      };
    }
  }
  // Anything else commander says (a conflict, a missing mandatory option): its words, in the house style.
  const plain = body.replace(/'([^']*)'/g, '"$1"').replace(/\.$/, "");
  return { message: plain.charAt(0).toUpperCase() + plain.slice(1), hints: [...didYouMean, help] };
}

/** Every command of the tree below `command`, `command` first. */
function allCommands(command: CommandUnknownOpts): CommandUnknownOpts[] {
  const found: CommandUnknownOpts[] = [];
  const pending = [command];
  for (let next = pending.pop(); next; next = pending.pop()) {
    found.push(next);
    for (const sub of next.commands) pending.push(sub);
  }
  return found;
}

/** Applies weep's house style to `program` and every command below it; call once all commands are added. */
export function applyHouseStyle(program: Command, output: Output): void {
  for (const command of allCommands(program)) {
    command
      .showSuggestionAfterError(true)
      .configureOutput({
        writeOut: (text) => output.stdout(text),
        // commander writes here only the help of a command that needs a subcommand and got none: help the
        // user asked for by naming the group, so it goes to stdout (and the exit code is 0, below).
        writeErr: (text) => output.stdout(text),
        outputError: () => {},
        getOutHasColors: () => false,
        getErrHasColors: () => false,
      })
      .exitOverride((error) => {
        if (error.exitCode === 0) throw error;
        if (error.code === "commander.help") throw new CommanderError(0, error.code, error.message);
        const { message, hints } = usageMessage(error, command);
        throw new UsageError(message, { hints, cause: error });
      });
  }
}
