/**
 * `deno task help-text`: renders weep's top-level help from the command tree into `src/cli/help_text.ts`, which
 * `src/cli/main.ts` prints for `weep --help` (and `-h`, `help`, no arguments) without loading the command tree.
 * `tests/cli/help_text_test.ts` fails when the file differs from what this script writes, so a stale help text
 * can never ship.
 *
 * @module
 */

import { run } from "../src/cli/run.ts";
import { memoryOutput } from "../src/platform/output.ts";
import { ROOT } from "./weep_command.ts";

/** Where the rendered help is kept. */
export const HELP_TEXT_FILE: string = `${ROOT}/src/cli/help_text.ts`;

/** The top-level help as the command tree prints it. */
export async function renderHelp(): Promise<string> {
  const out = memoryOutput();
  // Help names no path of the user's: any home will do.
  const env = (name: string) => (name === "HOME" ? "/home/weep" : undefined);
  const code = await run(["--help"], out.output, new AbortController().signal, env);
  if (code !== 0 || out.stderr() !== "") throw new Error(`weep --help failed (${code}): ${out.stderr()}`);
  return out.stdout();
}

/** The text of `src/cli/help_text.ts` for `help`. */
export function helpModule(help: string): string {
  return `/**
 * What \`weep --help\` prints (also \`weep -h\`, \`weep help\` and \`weep\` alone), rendered from the command tree by
 * \`deno task help-text\` (\`scripts/help_text.ts\`), so that \`src/cli/main.ts\` prints it without loading the command
 * tree. Generated: do not edit. \`tests/cli/help_text_test.ts\` fails when it differs from what the tree renders.
 *
 * @module
 */

/** weep's top-level help. */
export const ROOT_HELP: string = \`${templateText(help)}\`;
`;
}

/** `text` as the body of a template literal: backslashes, backquotes and `${` escaped. */
function templateText(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("`", "\\`").replaceAll("${", "\\${");
}

if (import.meta.main) {
  await Deno.writeTextFile(HELP_TEXT_FILE, helpModule(await renderHelp()));
  Deno.stdout.writeSync(new TextEncoder().encode(`wrote ${HELP_TEXT_FILE}\n`));
}
