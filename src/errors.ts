/**
 * Errors that reach the user. `src/main.ts` turns them into a message on stderr and an exit code:
 * {@linkcode UsageError} exits 2, every other error exits 1.
 *
 * @module
 */

/** Options for {@linkcode WeepError}. */
export interface WeepErrorOptions {
  /** Lines that tell the user what to do next; printed under the message. */
  hints?: string[];
  /** The underlying error; shown with `--log-level debug`. */
  cause?: unknown;
}

/** A failure with a message written for the user (std style: capital first, no trailing period). */
export class WeepError extends Error {
  /** What to do next, one line each. */
  readonly hints: string[];
  /** Exit code the process ends with. */
  readonly exitCode: number = 1;

  /** Creates an error with a user-facing message, optional hints and cause. */
  constructor(message: string, options: WeepErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WeepError";
    this.hints = options.hints ?? [];
  }
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

/** The user interrupted weep (Ctrl-C). Exit 130. */
export class InterruptedError extends WeepError {
  override readonly exitCode: number = 130;

  /** Creates an interruption error. */
  constructor(message = "Interrupted") {
    super(message);
    this.name = "InterruptedError";
  }
}

/** Returns the text of any thrown value, for messages and debug logs. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
