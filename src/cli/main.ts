/**
 * weep's entry point: the only module that reads `Deno.args`, handles Ctrl-C and SIGTERM, and exits (0 ok,
 * 1 failure, including a write error on stdout or stderr, 2 usage error, 130 interrupted, 143 terminated).
 *
 * `weep credential_process ROLE` is first tried against the credential cache with a minimal module graph
 * (`src/cache/fast_path.ts`); a miss loads the config parser and the network code (`src/cli/direct.ts`), and only
 * arguments the fast parser does not understand load the command tree (`src/cli/run.ts`). `weep --version` and
 * the top-level help (`src/cli/help_text.ts`, rendered from the command tree) load neither.
 *
 * @module
 */

import { processPathEnv, resolvePaths } from "../platform/paths.ts";
import { errorText, InterruptedError } from "../errors.ts";
import { Output, processSinks } from "../platform/output.ts";
import { BUILD, VERSION } from "../version.ts";

/** Prints `text` on stdout and exits: 0, or 1 when stdout cannot be written (one line on stderr). */
function printAndExit(output: Output, text: string): never {
  try {
    output.stdout(text);
  } catch (error) {
    output.error(errorText(error));
  }
  Deno.exit(output.writeFailed ? 1 : 0);
}

if (import.meta.main) {
  const args = Deno.args;
  if (BUILD.artifact === "release" || BUILD.artifact === "org") {
    // Release binaries are granted every home root of their OS; keep only the one this user lives under.
    const { narrowToUser } = await import("../platform/permissions.ts");
    await narrowToUser(resolvePaths(processPathEnv(), Deno.build.os)).catch(() => {});
  }
  const output = new Output(processSinks());
  // What commander prints for these, without loading it (tests/cli/help_text_test.ts holds them equal).
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    printAndExit(output, `${VERSION}\n`);
  }
  if (args.length === 0 || (args.length === 1 && ["--help", "-h", "help"].includes(args[0]!))) {
    const { ROOT_HELP } = await import("./help_text.ts");
    printAndExit(output, ROOT_HELP);
  }
  let fastArgs;
  let fast;
  if (args[0] === "credential_process") {
    const { fastCredentialProcess, parseFastArgs } = await import("../cache/fast_path.ts");
    const env = (name: string) => Deno.env.get(name);
    let paths;
    try {
      paths = resolvePaths(processPathEnv(), Deno.build.os);
    } catch {
      paths = undefined;
    }
    const now = new Date();
    // Only without a configured user do the stored logins say who asks (loaded then, not on every hit).
    const sessionUser = async (dir: string, url: string) => {
      const { latestUserSync } = await import("../auth/session.ts");
      return await latestUserSync(dir, url);
    };
    fast = paths && await fastCredentialProcess(args, paths, BUILD.embeddedConfig, env, now, sessionUser);
    if (fast && "json" in fast) {
      const hit = fast;
      if (hit.use) {
        // The role's usage record is an hour old: its writer is loaded for this hit only.
        const { recordUse } = await import("../usage/log.ts");
        await recordUse(hit.use.dir, hit.use.origin, hit.use.role, now);
      }
      printAndExit(output, hit.json);
    }
    fastArgs = parseFastArgs(args);
  }
  const controller = new AbortController();
  const onSignal = (reason: InterruptedError) => () => {
    if (controller.signal.aborted) Deno.exit(reason.exitCode);
    controller.abort(reason);
    // Commands stop on the signal; one blocked where no signal reaches must not need a second Ctrl-C.
    Deno.unrefTimer(setTimeout(() => {
      output.error(reason.message);
      Deno.exit(reason.exitCode);
    }, 2000));
  };
  Deno.addSignalListener("SIGINT", onSignal(new InterruptedError("Interrupted", 130)));
  if (Deno.build.os !== "windows") {
    Deno.addSignalListener("SIGTERM", onSignal(new InterruptedError("Terminated", 143)));
  }
  let code: number;
  if (fastArgs) {
    let held;
    if (fast && "wait" in fast) {
      // Take the role's lock before loading the network code: of many processes started at once for it, one
      // fetches and the others print what it stored (src/cache/fast_wait.ts).
      if (fastArgs.globals.logLevel) output.level = fastArgs.globals.logLevel;
      if (fastArgs.globals.logFormat) output.format = fastArgs.globals.logFormat;
      try {
        const { awaitFetch } = await import("../cache/fast_wait.ts");
        const outcome = await awaitFetch(fast.wait, output, controller.signal, () => new Date());
        if (outcome.json !== undefined) printAndExit(output, outcome.json);
        held = outcome.held;
      } catch (error) {
        const { report } = await import("./report.ts");
        Deno.exit(report(error, output, controller.signal));
      }
    }
    // A cache miss whose arguments the fast path understood: no command tree needed.
    const { runDirect } = await import("./direct.ts");
    code = await runDirect(fastArgs, output, controller.signal, held);
  } else {
    const { run } = await import("./run.ts");
    code = await run(args, output, controller.signal);
  }
  Deno.exit(code === 0 && output.writeFailed ? 1 : code);
}
