/**
 * Runs the full command tree for `src/cli/main.ts`: builds the app, parses the command line, runs the command,
 * and turns errors into a message on stderr and an exit code (0 ok, 1 failure, 2 usage error, 130
 * interrupted). It never exits the process itself.
 *
 * @module
 */

import { createApp } from "./app_context.ts";
import { buildProgram } from "./program.ts";
import type { Output } from "../platform/output.ts";
import { globalsOf } from "../app/app.ts";
import { report } from "./report.ts";
import { attachLogFile } from "../platform/log_file.ts";

/**
 * Runs weep with `args` in an environment `env` (this process's by default) and returns the exit code. Never
 * exits the process itself.
 */
export async function run(
  args: string[],
  output: Output,
  signal: AbortSignal,
  env?: (name: string) => string | undefined,
): Promise<number> {
  try {
    const app = createApp(output, signal, env);
    const program = buildProgram(app);
    program.hook("preAction", (_root, action) => {
      const globals = globalsOf(action);
      if (globals.logLevel) output.level = globals.logLevel;
      if (globals.logFormat) output.format = globals.logFormat;
      if (globals.logFile) attachLogFile(output, globals.logFile);
    });
    if (args.length === 0) {
      output.stdout(program.helpInformation());
      return 0;
    }
    // `weep help NAME` for a command that does not exist: report it like `weep NAME` (with a suggestion),
    // not as commander's help-on-stderr.
    const known = (name: string) =>
      program.commands.some((c) => c.name() === name || c.aliases().includes(name));
    const helpFor = args[0] === "help" && args[1] !== undefined && !args[1].startsWith("-")
      ? args[1]
      : undefined;
    await program.parseAsync(helpFor !== undefined && !known(helpFor) ? [helpFor] : args, { from: "user" });
    return 0;
  } catch (error) {
    return report(error, output, signal);
  }
}
