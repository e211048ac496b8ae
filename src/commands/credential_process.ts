/**
 * `weep credential_process ROLE`: the `credential_process` helper the AWS CLI and SDKs run. Prints exactly one
 * line of JSON on stdout (`Version`, keys, token, `Expiration` in RFC 3339 UTC) and nothing else.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, type GlobalOptions, globalsOf } from "../app.ts";
import { connectConsoleMe } from "../auth/connect.ts";
import { credentialProcessJson, type CredentialQuery, type CredentialSource } from "../aws/credentials.ts";
import { brokerSource } from "../consoleme/credential_source.ts";
import { UsageError } from "../errors.ts";

/** The typed input of `credential_process`. */
export interface CredentialProcessInput {
  role: string;
  assumeRoles: string[];
  noIp: boolean;
}

/** Gets credentials for the input from `source` and returns the JSON line to print. */
export async function credentialProcess(
  input: CredentialProcessInput,
  source: CredentialSource,
): Promise<string> {
  const query: CredentialQuery = { role: input.role, assumeRoles: input.assumeRoles, noIp: input.noIp };
  return credentialProcessJson(await source(query));
}

/** The credential source for a command: ConsoleMe plus the STS chain. */
export async function commandCredentialSource(
  app: App,
  globals: GlobalOptions,
  method: string,
): Promise<CredentialSource> {
  const { config } = await app.loadConfig(globals);
  const client = await connectConsoleMe(app, config, method);
  return brokerSource({ client, region: config.aws.region, env: app.env, output: app.output, method });
}

/** Registers `weep credential_process`. */
export function registerCredentialProcess(program: Command, app: App): void {
  program
    .command("credential_process")
    .description("print credentials for a role as credential_process JSON (for ~/.aws/config)")
    .argument("[role]", "role ARN or a search string that matches exactly one of your roles")
    .addHelpText(
      "after",
      "\nIn ~/.aws/config:\n  [profile prod]\n  credential_process = weep credential_process arn:aws:iam::123456789012:role/prod",
    )
    .action(async (role, _options, command) => {
      if (!role) {
        throw new UsageError(
          "credential_process needs a role: weep credential_process <role ARN or search string>",
        );
      }
      const globals = globalsOf(command);
      const source = await commandCredentialSource(app, globals, "credential_process");
      const input = { role, assumeRoles: globals.assumeRole ?? [], noIp: globals.noIp ?? false };
      app.output.stdout(await credentialProcess(input, source));
    });
}
