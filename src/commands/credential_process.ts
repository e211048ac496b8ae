/**
 * `weep credential_process ROLE`: the `credential_process` helper the AWS CLI and SDKs run. Prints exactly one
 * line of JSON on stdout (`Version`, keys, token, `Expiration` in RFC 3339 UTC) and nothing else. The work is
 * `runCredentialProcess` (`src/app/compose.ts`), which a cache miss also runs without the command tree.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf, requireRole } from "../app/app.ts";
import { runCredentialProcess } from "../app/compose.ts";
import { addGenerateOptions, generateDeps, type GenerateOptions, runGenerate } from "../app/generate.ts";
import { UsageError } from "../errors.ts";

/** Registers `weep credential_process`. */
export function registerCredentialProcess(program: Command, app: App): void {
  const cp = program
    .command("credential_process")
    .description("print credentials for a role as credential_process JSON (for ~/.aws/config)")
    .argument("[role]", "role ARN or a search string that matches exactly one of your roles")
    .addHelpText(
      "after",
      "\nIn ~/.aws/config:\n  [profile prod]\n  credential_process = weep credential_process arn:aws:iam::123456789012:role/prod",
    )
    .option(
      "--no-cache",
      "ask ConsoleMe even when the cache holds fresh credentials (the result is still cached)",
    )
    .option("-g, --generate", "write a profile for every role you may use (same as weep generate)");
  addGenerateOptions(cp);
  cp.action(async (role, options, command) => {
    if (options.generate) {
      if (role) {
        throw new UsageError("credential_process --generate takes no role; use --include to choose roles");
      }
      const globals = globalsOf(command);
      return await runGenerate(command.opts() as GenerateOptions, globals, generateDeps(app, globals));
    }
    await runCredentialProcess(
      app,
      globalsOf(command),
      requireRole(role, "credential_process"),
      { readCache: options.cache },
    );
  });
}
