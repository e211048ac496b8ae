/**
 * weep's entry point: the only module that reads `Deno.args`, handles Ctrl-C and SIGTERM, and exits (0 ok,
 * 1 failure, including a write error on stdout or stderr, 2 usage error, 130 interrupted, 143 terminated).
 *
 * `weep credential_process ROLE` starts in one pre-bundled module (`fast_start.bundle.js`: the cache hit, and
 * the wait for another process's fetch); a miss loads the config and the network code (`src/cli/direct.ts`), and
 * only arguments the fast parser does not understand load the command tree (`src/cli/run.ts`). `weep --version`
 * and the top-level help (`src/cli/help_text.ts`, rendered from the command tree) load neither. Everything but
 * the version and the build's metadata is loaded on demand, so that a cache hit loads this module, those and the
 * bundle.
 *
 * @module
 */

import { BUILD, VERSION } from "../version.ts";
import type { Output } from "../platform/output.ts";

/** A new output for this process's stdout and stderr. */
async function processOutput(): Promise<Output> {
  const { Output, processSinks } = await import("../platform/output.ts");
  return new Output(processSinks());
}

/** Prints `text` on stdout and exits: 0, or 1 when stdout cannot be written (one line on stderr). */
async function printAndExit(text: string): Promise<never> {
  const output = await processOutput();
  try {
    output.stdout(text);
  } catch (error) {
    const { errorText } = await import("../errors.ts");
    output.error(errorText(error));
  }
  Deno.exit(output.writeFailed ? 1 : 0);
}

if (import.meta.main) {
  const args = Deno.args;
  if (BUILD.artifact === "release" || BUILD.artifact === "org") {
    // Release binaries are granted every home root of their OS; keep only the one this user lives under.
    const { narrowToUser } = await import("../platform/permissions.ts");
    const { processPathEnv, resolvePaths } = await import("../platform/paths.ts");
    await narrowToUser(resolvePaths(processPathEnv(), Deno.build.os)).catch(() => {});
  }
  if (args[0] === "credential_process") {
    // The bundle of fast_start.ts (deno task bundle), typed by its source.
    const { startCredentialProcess } = await import(
      "./fast_start.bundle.js"
    ) as typeof import("./fast_start.ts");
    const start = await startCredentialProcess(args, BUILD.embeddedConfig, {
      // Only without a configured user do the stored logins say who asks (loaded then, not on every hit).
      sessionUser: async (dir, url) => (await import("../auth/session.ts")).latestUserSync(dir, url),
      recordUse: async (dir, origin, role, now) =>
        (await import("../usage/log.ts")).recordUse(dir, origin, role, now),
      attachLogFile: async (output, path, home) =>
        (await import("../platform/log_file.ts")).attachLogFile(output, path, home),
      exit: Deno.exit,
    });
    if (start && "code" in start) Deno.exit(start.code);
    if (start) {
      // A cache miss whose arguments the fast path understood: no command tree needed.
      const output = await processOutput();
      const { runDirect } = await import("./direct.ts");
      const code = await runDirect(start.args, output, start.signal, start.held, start.known);
      Deno.exit(code === 0 && (output.writeFailed || start.writeFailed) ? 1 : code);
    }
  }
  // What commander prints for these, without loading it (tests/cli/help_text_test.ts holds them equal).
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    await printAndExit(`${VERSION}\n`);
  }
  if (args.length === 0 || (args.length === 1 && ["--help", "-h", "help"].includes(args[0]!))) {
    const { ROOT_HELP } = await import("./help_text.ts");
    await printAndExit(ROOT_HELP);
  }
  const output = await processOutput();
  const { stopOnSignals } = await import("./signals.ts");
  const { signal } = stopOnSignals(output, Deno.exit);
  const { run } = await import("./run.ts");
  const code = await run(args, output, signal);
  Deno.exit(code === 0 && output.writeFailed ? 1 : code);
}
