/**
 * Errors that reach the user. `src/cli/main.ts` turns them into a message on stderr and an exit code:
 * {@linkcode UsageError} exits 2, {@linkcode InterruptedError} 130 (143 for SIGTERM), every other error 1.
 *
 * @module
 */

/**
 * What a failure to get credentials means for credentials weep already holds:
 * - `transient`: trying again later may work (ConsoleMe unreachable, slow, broken or garbled, a login that
 *   failed or timed out), so cached credentials that are still valid may stand in;
 * - `refusal`: ConsoleMe refused this role or user (its 90x codes), so cached credentials for it must go;
 * - `final`: anything else (a usage or configuration error, an interruption, a bug): cached credentials are
 *   neither served in its place nor removed.
 */
export type FailureKind = "transient" | "refusal" | "final";

/** Options for {@linkcode WeepError}. */
export interface WeepErrorOptions {
  /** Lines that tell the user what to do next; printed under the message. */
  hints?: string[];
  /** The underlying error; shown with `--log-level debug`. */
  cause?: unknown;
  /** What the failure means for cached credentials (default `final`). */
  failure?: FailureKind;
}

/** A failure with a message written for the user (std style: capital first, no trailing period). */
export class WeepError extends Error {
  /** What to do next, one line each. */
  readonly hints: string[];
  /** Exit code the process ends with. */
  readonly exitCode: number = 1;
  /** What the failure means for cached credentials. */
  readonly failure: FailureKind;

  /** Creates an error with a user-facing message, optional hints and cause. */
  constructor(message: string, options: WeepErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WeepError";
    this.hints = options.hints ?? [];
    this.failure = options.failure ?? "final";
  }
}

/** What `error` means for cached credentials: its {@linkcode WeepError.failure}, else `final`. */
export function failureOf(error: unknown): FailureKind {
  return error instanceof WeepError ? error.failure : "final";
}

/** A command line that cannot be run as given: bad flag, missing argument, unknown command. Exit 2. */
export class UsageError extends WeepError {
  override readonly exitCode: number = 2;

  /** Creates a usage error. */
  constructor(message: string, options: WeepErrorOptions = {}) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** The user interrupted weep (Ctrl-C, exit 130) or the system asked it to stop (SIGTERM, exit 143). */
export class InterruptedError extends WeepError {
  override readonly exitCode: number;

  /** Creates an interruption error; `exitCode` is 130 for SIGINT, 143 for SIGTERM. */
  constructor(message = "Interrupted", exitCode = 130) {
    super(message);
    this.name = "InterruptedError";
    this.exitCode = exitCode;
  }
}

/** The interruption behind an aborted `signal` (its reason when that is one), else a plain Ctrl-C. */
export function interruption(signal: AbortSignal | undefined): InterruptedError {
  const reason: unknown = signal?.reason;
  if (reason instanceof InterruptedError) return reason;
  // One made by the copy of this module in the credential_process start bundle (src/cli/fast_start.bundle.js),
  // whose signal a cache miss goes on with: the same interruption, as this copy's class.
  const code = (reason as { exitCode?: unknown } | undefined)?.exitCode;
  if (reason instanceof Error && reason.name === "InterruptedError" && typeof code === "number") {
    return new InterruptedError(reason.message, code);
  }
  return new InterruptedError();
}

/** Returns the text of any thrown value, for messages and debug logs. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
