/**
 * `weep export ROLE`: shell statements that put a role's credentials into environment variables, for
 * `eval "$(weep export ROLE)"`. stdout carries only those statements, and nothing at all when weep fails.
 *
 * @module
 */

import { type Command, Option } from "@commander-js/extra-typings";
import { type App, globalsOf, requireRole } from "../app/app.ts";
import { credentialQuery, type CredentialSource } from "../aws/credentials.ts";
import { detectSyntax, EXPORT_SHELLS, exportLines, type ShellSyntax, syntaxOf } from "../aws/shell_export.ts";
import { commandCredentialSource } from "../app/compose.ts";
import { roleOrPick } from "../app/role_picker.ts";

/** The typed input of `export`. */
export interface ExportInput {
  role: string;
  assumeRoles: string[];
  noIp: boolean;
  syntax: ShellSyntax;
}

/** Gets credentials for the input and returns the statements to print. */
export async function exportCredentials(
  input: ExportInput,
  source: CredentialSource,
  signal?: AbortSignal,
): Promise<string> {
  const credentials = await source(
    { role: input.role, assumeRoles: input.assumeRoles, noIp: input.noIp },
    signal,
  );
  return exportLines(credentials, input.syntax);
}

const USAGE: Record<ShellSyntax, string> = {
  posix: 'eval "$(weep export ROLE)"',
  fish: "eval (weep export ROLE)",
  powershell: "weep export ROLE | Invoke-Expression",
};

/** Registers `weep export`. */
export function registerExport(program: Command, app: App): void {
  program
    .command("export")
    .description("print shell statements that set AWS credential variables for a role")
    .argument("[role]", "role ARN or a search string that matches exactly one of your roles (none: pick one)")
    .addOption(
      new Option("--shell <shell>", "write for this shell (default: from $SHELL)").choices(EXPORT_SHELLS),
    )
    .addHelpText(
      "after",
      `\nExamples:\n  bash, zsh, sh, ksh:  ${USAGE.posix}\n  fish:                ${USAGE.fish}\n` +
        `  PowerShell:          ${USAGE.powershell}\n\n` +
        "Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION.",
    )
    .action(async (given, options, command) => {
      const globals = globalsOf(command);
      const role = requireRole(await roleOrPick(app, globals, given, "export"), "export");
      const syntax = options.shell ? syntaxOf(options.shell) : detectSyntax(app.env("SHELL"), Deno.build.os);
      const source = await commandCredentialSource(app, globals, "export");
      const input = { ...credentialQuery(role, globals), syntax };
      const lines = await exportCredentials(input, source, app.signal);
      if (app.output.stdoutIsTerminal) {
        const shown = /^[\w:/@+=,.-]+$/.test(role) ? role : "ROLE";
        app.output.info(`To set these in your shell, run: ${USAGE[syntax].replace("ROLE", shown)}`);
      }
      app.output.stdout(lines);
    });
}
