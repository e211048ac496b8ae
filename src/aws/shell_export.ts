/**
 * The lines `weep export` prints: statements that set the AWS credential variables in the user's shell,
 * with every value quoted so that the shell takes it literally (no expansion, no word splitting).
 *
 * @module
 */

import { WeepError } from "../errors.ts";
import { type AwsCredentials, formatExpiration } from "./credentials.ts";
import { quotePosix } from "../text/shlex.ts";

/** The shells `export` writes for. */
export const EXPORT_SHELLS = ["bash", "zsh", "sh", "ksh", "fish", "powershell", "pwsh"] as const;
/** A shell name accepted by `--shell`. */
export type ExportShell = typeof EXPORT_SHELLS[number];
/** The syntax families: POSIX `export`, fish `set -gx`, PowerShell `$Env:`. */
export type ShellSyntax = "posix" | "fish" | "powershell";

/** The syntax of a `--shell` value. */
export function syntaxOf(shell: ExportShell): ShellSyntax {
  return shell === "fish" ? "fish" : shell === "powershell" || shell === "pwsh" ? "powershell" : "posix";
}

/**
 * The syntax for the user's shell from `$SHELL` (its last path part): fish, PowerShell (`pwsh`,
 * `powershell`), else POSIX. Without `$SHELL`, Windows means PowerShell.
 */
export function detectSyntax(shellEnv: string | undefined, os: typeof Deno.build.os): ShellSyntax {
  const name = (shellEnv ?? "").split(/[\\/]/).pop()?.toLowerCase().replace(/\.exe$/, "") ?? "";
  if (name.includes("fish")) return "fish";
  if (name === "pwsh" || name === "powershell") return "powershell";
  if (name === "" && os === "windows") return "powershell";
  return "posix";
}

/** Quotes `value` for fish: single quotes, in which only `\\` and `\'` are escapes. */
export function quoteFish(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/**
 * Quotes `value` for PowerShell: a verbatim single-quoted string, each quote doubled. PowerShell also treats
 * the typographic quotes U+2018 to U+201B as single quotes, so those are doubled too.
 */
export function quotePowerShell(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, "$&$&")}'`;
}

/** One statement that sets `name` to `value` in `syntax`. */
export function setStatement(syntax: ShellSyntax, name: string, value: string): string {
  switch (syntax) {
    case "posix":
      return `export ${name}=${quotePosix(value)}`;
    case "fish":
      // The `;` lets `eval (weep export ROLE)` work: fish joins the lines of a substitution with spaces.
      return `set -gx ${name} ${quoteFish(value)};`;
    case "powershell":
      return `$Env:${name} = ${quotePowerShell(value)}`;
  }
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The statements that set `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and
 * `AWS_CREDENTIAL_EXPIRATION` (RFC 3339 UTC), one per line. Refuses values with control characters, which
 * no AWS credential contains and which could end a statement early.
 */
export function exportLines(credentials: AwsCredentials, syntax: ShellSyntax): string {
  const vars: [string, string][] = [
    ["AWS_ACCESS_KEY_ID", credentials.accessKeyId],
    ["AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey],
    ["AWS_SESSION_TOKEN", credentials.sessionToken],
    ["AWS_CREDENTIAL_EXPIRATION", formatExpiration(credentials.expiration)],
  ];
  for (const [name, value] of vars) {
    if (CONTROL.test(value)) {
      throw new WeepError(
        `The credentials contain a control character in ${name}; weep will not print them`,
        {
          hints: ["This is not a valid AWS credential; report it to the ConsoleMe administrators"],
        },
      );
    }
  }
  return vars.map(([name, value]) => setStatement(syntax, name, value) + "\n").join("");
}
