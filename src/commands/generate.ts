/**
 * `weep generate` (also `weep credential_process --generate` and weep's old name
 * `generate_credential_process_config`): a `credential_process` profile for every role the user may use,
 * written into `~/.aws/config` by the line-preserving editor (`runGenerate` in `src/app/generate.ts`).
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { addGenerateOptions, generateDeps, type GenerateOptions, runGenerate } from "../app/generate.ts";

/** Registers `weep generate` and its old name. */
export function registerGenerate(program: Command, app: App): void {
  const generate = program
    .command("generate")
    .alias("generate_credential_process_config")
    .description("write a credential_process profile for every role you may use into ~/.aws/config");
  addGenerateOptions(generate);
  generate.action(async (_options, command) => {
    const globals = globalsOf(command);
    await runGenerate(command.opts() as GenerateOptions, globals, generateDeps(app, globals));
  });
}
