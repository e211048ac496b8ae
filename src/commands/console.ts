/**
 * `weep console [ROLE]`: opens the ConsoleMe page that logs the browser into the AWS console as ROLE (or
 * ConsoleMe's home page without a role). `--no-open` prints the link on stdout instead.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { showLink, systemOpener } from "../app/compose.ts";
import { browserBaseUrl, browserTrust, consoleRoleUrl } from "../consoleme/urls.ts";
import { roleOrPick } from "../app/role_picker.ts";
import { recordUse } from "../usage/log.ts";

/** Registers `weep console`. */
export function registerConsole(program: Command, app: App): void {
  program
    .command("console")
    .description("open the AWS console as a role, through ConsoleMe")
    .argument(
      "[role]",
      "role ARN or search string (none: pick one on a terminal, else ConsoleMe's home page)",
    )
    .option("-x, --no-open", "print the link on stdout instead of opening a browser")
    .addHelpText(
      "after",
      "\nExamples:\n  weep console arn:aws:iam::123456789012:role/app_role\n  weep console prod_admin --no-open\n\n" +
        "The link is <consoleme_open_url_override or consoleme_url>/role/<role>.",
    )
    .action(async (given, options, command) => {
      const globals = globalsOf(command);
      const { config } = await app.loadConfig(globals);
      const base = browserBaseUrl(config, app.paths);
      const role = await roleOrPick(app, globals, given, "console");
      await showLink(
        consoleRoleUrl(base, role),
        options.open === false,
        browserTrust(config),
        app.output,
        systemOpener,
      );
      if (role && config.consoleme_url) {
        await recordUse(app.paths.usageDir, config.consoleme_url, role, app.now());
      }
    });
}
