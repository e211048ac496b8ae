/**
 * `weep open ARN`: opens ConsoleMe's page for an AWS resource (policy editor or AWS console deep link).
 * `--no-open` prints the link on stdout instead.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { connectConsoleMe } from "../auth/connect.ts";
import type { ConsoleMeClient } from "../consoleme/types.ts";
import { browserBaseUrl, browserTrust, resourceLink, validateResourceArn } from "../consoleme/urls.ts";
import { showLink, systemOpener } from "../app/compose.ts";

/** Checks `arn` and asks ConsoleMe for its page; returns the full link under `base`. */
export async function resourceUrl(
  arn: string,
  base: string,
  client: Pick<ConsoleMeClient, "getResourceUrl">,
): Promise<string> {
  validateResourceArn(arn);
  return resourceLink(base, await client.getResourceUrl(arn));
}

/** Registers `weep open`. */
export function registerOpen(program: Command, app: App): void {
  program
    .command("open")
    .description("open ConsoleMe's page for an AWS resource ARN")
    .argument(
      "<arn>",
      "the resource ARN, e.g. arn:aws:s3:::bucket or arn:aws:sqs:us-east-1:123456789012:queue",
    )
    .option("-x, --no-open", "print the link on stdout instead of opening a browser")
    .addHelpText(
      "after",
      "\nExamples:\n  weep open arn:aws:iam::123456789012:role/app_role\n" +
        "  weep open arn:aws:sqs:us-east-1:123456789012:jobs --no-open",
    )
    .action(async (arn, options, command) => {
      validateResourceArn(arn);
      const { config } = await app.loadConfig(globalsOf(command));
      const base = browserBaseUrl(config, app.paths);
      const client = await connectConsoleMe(app, config, "open");
      const link = await resourceUrl(arn, base, client);
      await showLink(link, options.open === false, browserTrust(config), app.output, systemOpener);
    });
}
