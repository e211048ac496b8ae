/**
 * `weep console [ROLE]`: opens the ConsoleMe page that logs the browser into the AWS console as ROLE (or
 * ConsoleMe's home page without a role). `--no-open` prints the link on stdout instead.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app.ts";
import { requireTrustedUrl, type UrlTrust } from "../consoleme/trusted_url.ts";
import { browserBaseUrl, browserTrust, consoleRoleUrl } from "../consoleme/urls.ts";
import { WeepError } from "../errors.ts";
import { openUrl, processOpenerEnv } from "../platform/opener.ts";
import type { Output } from "../platform/output.ts";
import { roleOrPick } from "../role_picker.ts";
import { recordUse } from "../usage/log.ts";

/** Opens a URL in a browser; resolves whether it worked. */
export type Opener = (url: string) => Promise<boolean>;

/** The system browser opener. */
export function systemOpener(url: string): Promise<boolean> {
  return openUrl(url, processOpenerEnv());
}

/**
 * Shows `url` to the user: prints it on stdout with `noOpen`, else opens it and says so on stderr. A link that
 * is not ConsoleMe's (see `requireTrustedUrl`) is refused either way; a browser that cannot be opened is an
 * error whose message carries the link.
 */
export async function showLink(
  url: string,
  noOpen: boolean,
  trust: UrlTrust,
  output: Output,
  open: Opener,
): Promise<void> {
  requireTrustedUrl(url, trust, "the link");
  if (noOpen) {
    output.stdout(url + "\n");
    return;
  }
  if (!(await open(url))) {
    throw new WeepError(`Cannot open a browser; open this link yourself: ${url}`, {
      hints: ["On a machine without a desktop, use --no-open to print the link"],
    });
  }
  output.info(`Opened ${url} in your browser`);
}

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
