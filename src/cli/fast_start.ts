/**
 * The start of `weep credential_process`, run from one pre-bundled JavaScript module
 * (`fast_start.bundle.js`, made by `deno task bundle` from this file and what it imports): a cache hit prints
 * the cached credentials; a miss whose snapshot says how long a fetch may take waits on the role's lock for the
 * process that fetches, and prints what it stored. Only the process that must fetch goes on, in `main.ts`, to
 * the full path, which is loaded from source.
 *
 * The bundle carries its own copies of the modules below, so what goes on to the full path is plain data, the
 * signal (an interruption's reason is read by its fields: `interruption` in `errors.ts`) and the role's lock,
 * whose process state every copy shares (`platform/process_state.ts`). The bundle's errors never leave it: an
 * interruption is said here, anything else the full path meets again and reports.
 *
 * @module
 */

import {
  type ConfigSnapshot,
  type FastArgs,
  fastCredentialProcess,
  type FastMiss,
  parseFastArgs,
} from "../cache/fast_path.ts";
import { awaitFetch, type HeldKeyLock } from "../cache/fast_wait.ts";
import { errorText, InterruptedError, interruption } from "../errors.ts";
import { type GlobalOptions, LOG_FORMATS, LOG_LEVELS } from "../global_flags.ts";
import { Output, processSinks } from "../platform/output.ts";
import { processPathEnv, resolvePaths } from "../platform/paths.ts";
import { stopOnSignals } from "./signals.ts";

/** What the start needs from `main.ts`: source modules loaded on demand, and the way to exit. */
export interface StartDeps {
  /** The user of the latest login stored for the ConsoleMe at `url` (`auth/session.ts`). */
  sessionUser: (sessionsDir: string, url: string) => Promise<string>;
  /** Writes the role's usage record (`usage/log.ts`). */
  recordUse: (dir: string, origin: string, role: string, now: Date) => Promise<void>;
  /** Makes `output` write its log lines to the config's log file `path` too, `~/` being `home` (`platform/log_file.ts`). */
  attachLogFile: (output: Output, path: string, home: string) => Promise<void>;
  /** Ends the process (a second Ctrl-C). */
  exit: (code: number) => never;
}

/** A miss the full path takes on. */
export interface StartMiss {
  args: FastArgs;
  /** What the fast path found out (the snapshot and its fingerprint). */
  known: Omit<FastMiss, "wait">;
  /** The role's lock, when this process waited for it and must now fetch under it. */
  held?: HeldKeyLock;
  /** Aborted by Ctrl-C or SIGTERM (the handlers are installed). */
  signal: AbortSignal;
  /** Whether writing to stderr failed meanwhile: the process must not exit 0. */
  writeFailed: boolean;
}

/**
 * Sets `output`'s level and format as the full path would: from the flags in `globals`, else from the
 * configuration `snapshot` keeps (`log_level`, `log_format`; a value that is not one of theirs is passed over).
 */
function logAsConfigured(output: Output, globals: GlobalOptions, snapshot: ConfigSnapshot | undefined): void {
  const config = storedConfig(snapshot);
  const level = globals.logLevel ?? config.log_level;
  const format = globals.logFormat ?? config.log_format;
  const levels: readonly unknown[] = LOG_LEVELS;
  const formats: readonly unknown[] = LOG_FORMATS;
  if (levels.includes(level)) output.level = level as typeof LOG_LEVELS[number];
  if (formats.includes(format)) output.format = format as typeof LOG_FORMATS[number];
}

/** The configuration `snapshot` keeps, as far as it is an object. */
function storedConfig(snapshot: ConfigSnapshot | undefined): Record<string, unknown> {
  const loaded: unknown = snapshot?.loaded?.config;
  return (typeof loaded === "object" && loaded !== null ? loaded : {}) as Record<string, unknown>;
}

/**
 * Prints `text` on stdout; returns the exit code: 0, or 1 when stdout or stderr could not be written.
 * `configure` sets the output's level and format, before a failure is said.
 */
function print(output: Output, text: string, configure: () => void): number {
  try {
    output.stdout(text);
  } catch (error) {
    configure();
    output.error(errorText(error));
  }
  return output.writeFailed ? 1 : 0;
}

/**
 * Runs the start of `credential_process` for `args`: `{ code }` when it is done (printed, or reported), a
 * {@linkcode StartMiss} for the full path, or `undefined` for arguments the fast parser does not understand
 * (the command tree runs them).
 */
export async function startCredentialProcess(
  args: string[],
  embeddedConfig: string,
  deps: StartDeps,
): Promise<{ code: number } | StartMiss | undefined> {
  const output = new Output(processSinks());
  let paths;
  try {
    paths = resolvePaths(processPathEnv(), Deno.build.os);
  } catch {
    // No home directory: the full path says so.
  }
  const now = new Date();
  const env = (name: string) => Deno.env.get(name);
  const fast = paths && await fastCredentialProcess(args, paths, embeddedConfig, env, now, deps.sessionUser);
  if (fast && "json" in fast) {
    // The role's usage record is an hour old: its writer is loaded for this hit only.
    if (fast.use) await deps.recordUse(fast.use.dir, fast.use.origin, fast.use.role, now);
    // The hit's flags are read again only when stdout refused the credentials, to say so as they ask.
    const configure = () => logAsConfigured(output, parseFastArgs(args)?.globals ?? {}, fast.snapshot);
    return { code: print(output, fast.json, configure) };
  }
  const parsed = parseFastArgs(args);
  if (!parsed) return undefined;
  const { wait, ...known } = fast ?? {};
  const { signal } = stopOnSignals(output, deps.exit);
  let held;
  if (wait) {
    // Of many processes started at once for the role, one fetches and the others print what it stored.
    logAsConfigured(output, parsed.globals, known.snapshot);
    // The config's `log_file` (`--log-file` sends these arguments to the command tree), as the full path takes it.
    const { log_file: logFile } = storedConfig(known.snapshot);
    if (paths && typeof logFile === "string" && logFile !== "") {
      await deps.attachLogFile(output, logFile, paths.home);
    }
    try {
      const outcome = await awaitFetch(wait, output, signal, () => new Date());
      if (outcome.json !== undefined) return { code: print(output, outcome.json, () => {}) };
      held = outcome.held;
    } catch (error) {
      if (signal.aborted || error instanceof InterruptedError) {
        // As `report.ts` says it: what was being waited for, when the lock wait was what stopped.
        const reason = signal.aborted ? interruption(signal) : error as InterruptedError;
        output.error(error instanceof InterruptedError ? error.message : reason.message);
        return { code: reason.exitCode };
      }
      // Anything else (a lock directory weep may not write, say): the full path meets it too, and reports it.
    }
  }
  return { args: parsed, known, ...(held ? { held } : {}), signal, writeFailed: output.writeFailed };
}
