/**
 * weep in the test's own process, for command tests whose assertions need no process of their own: the command
 * tree (`run`, the exit code `report` picks, stdout and stderr as weep writes them) or an App for calling a
 * command's work directly, each with a temporary home, only the environment the test gives, and output in memory.
 * What only a process shows (the permission set, signals, a stream that fails, the cache fast path) stays with
 * `runWeep` (`cli.ts`).
 *
 * @module
 */

import type { App } from "../../src/app/app.ts";
import { createApp } from "../../src/cli/app_context.ts";
import { run } from "../../src/cli/run.ts";
import { memoryOutput } from "../../src/platform/output.ts";
import { assertNoSecrets, baseEnv, type CliResult } from "./cli.ts";

/** An App for `home`: real paths, config loader and clock; the environment `baseEnv(home, env)`. */
export function appFor(home: string, env: Record<string, string> = {}): {
  app: App;
  stdout: () => string;
  stderr: () => string;
} {
  const out = memoryOutput();
  const vars = baseEnv(home, env);
  const app = createApp(out.output, new AbortController().signal, (name) => vars[name]);
  return { app, stdout: out.stdout, stderr: out.stderr };
}

/** Runs `weep args…` through the command tree in this process, as `runWeep` would in its own. */
export async function runInProcess(
  home: string,
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<CliResult> {
  const out = memoryOutput();
  const vars = baseEnv(home, options.env);
  const code = await run(args, out.output, new AbortController().signal, (name) => vars[name]);
  const result = {
    code: code === 0 && out.output.writeFailed ? 1 : code,
    stdout: out.stdout(),
    stderr: out.stderr(),
  };
  assertNoSecrets(result.stderr);
  return result;
}
