/**
 * The one module that writes to the terminal. stdout carries machine output only; every message, warning,
 * progress line and error goes to stderr, as text or (with `--log-format json`) as JSON lines. Secrets that
 * weep handles are registered with {@linkcode Output.redact} and never printed, whatever the level. Every log
 * line's message, hints and fields pass through `outsideText`, so text from ConsoleMe or STS can neither drive
 * the terminal nor forge a line.
 *
 * @module
 */

import { errorText, WeepError } from "../errors.ts";
import type { LogFormat, LogLevel } from "../global_flags.ts";
import { outsideText } from "./outside_text.ts";

/** Where output goes; tests pass in-memory sinks. */
export interface OutputSinks {
  /** Writes machine output; throws when stdout refuses it (a closed pipe, a full disk). */
  stdout(text: string): void;
  /** Writes human output; never throws (a refused write is only remembered: see `writeFailed`). */
  stderr(text: string): void;
  /** Whether a write to stdout or stderr has failed. */
  readonly writeFailed?: boolean;
  /** Whether stderr is a terminal (enables colour and spinners). */
  stderrIsTerminal: boolean;
  /** Whether stdout is a terminal (tables instead of plain lines). */
  stdoutIsTerminal: boolean;
  /** Whether NO_COLOR is set. */
  noColor: boolean;
}

/** Fields attached to a log line. */
export type LogFields = Record<string, string | number | boolean | undefined>;

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const COLOURS: Record<LogLevel, string> = {
  debug: "\x1b[90m",
  info: "\x1b[36m",
  warn: "\x1b[33m",
  error: "\x1b[31m",
};
const LABELS: Record<LogLevel, string> = { debug: "debug", info: "info", warn: "warning", error: "error" };
const REDACTED = "[redacted]";

/** The terminal writer every module uses. */
export class Output {
  level: LogLevel = "info";
  format: LogFormat = "tty";
  /** Also receives every log line that passes the level (a log file: no colour, a timestamp on each line). */
  logFile: ((text: string) => void) | undefined;
  readonly #sinks: OutputSinks;
  readonly #secrets = new Set<string>();

  /** Creates an output over the given sinks. */
  constructor(sinks: OutputSinks) {
    this.#sinks = sinks;
  }

  /** Whether colour escapes may be written to stderr. */
  get colour(): boolean {
    return this.format === "tty" && this.#sinks.stderrIsTerminal && !this.#sinks.noColor;
  }

  /** Whether stderr is an interactive terminal (spinners, countdowns). */
  get interactive(): boolean {
    return this.format === "tty" && this.#sinks.stderrIsTerminal;
  }

  /** Whether stdout is a terminal. */
  get stdoutIsTerminal(): boolean {
    return this.#sinks.stdoutIsTerminal;
  }

  /** Whether a write to stdout or stderr failed: the process must not exit 0 then. */
  get writeFailed(): boolean {
    return this.#sinks.writeFailed ?? false;
  }

  /** Registers a value that must never appear on stderr (access keys, tokens, JWTs). */
  redact(...secrets: (string | undefined)[]): void {
    for (const secret of secrets) if (secret && secret.length >= 8) this.#secrets.add(secret);
  }

  /** Writes machine output to stdout, exactly as given; throws a `WeepError` when stdout refuses it. */
  stdout(text: string): void {
    this.#sinks.stdout(text);
  }

  /** Logs at debug level. */
  debug(message: string, fields?: LogFields): void {
    this.log("debug", message, fields);
  }

  /** Logs at info level. */
  info(message: string, fields?: LogFields): void {
    this.log("info", message, fields);
  }

  /** Logs at warn level. */
  warn(message: string, fields?: LogFields): void {
    this.log("warn", message, fields);
  }

  /** Logs at error level, with hint lines under the message. */
  error(message: string, hints: string[] = [], fields?: LogFields): void {
    const hint = hints.map(outsideText).join("\n");
    this.log("error", message, hints.length ? { ...fields, hint } : fields);
  }

  /**
   * Writes one log line at `level` if the current level lets it through. The message and field values are
   * made terminal-safe (`outsideText`); the `hint` field holds lines separated by `\n`, each made safe.
   */
  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.level]) return;
    message = outsideText(message);
    fields = Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [
        key,
        typeof value !== "string"
          ? value
          : key === "hint"
          ? value.split("\n").map(outsideText).join("\n")
          : outsideText(value),
      ]),
    );
    this.#sinks.stderr(this.#scrub(this.#formatLine(level, message, fields, this.colour)));
    if (this.logFile === undefined) return;
    const line = this.#formatLine(level, message, fields, false);
    this.logFile(this.#scrub(this.format === "json" ? line : `${new Date().toISOString()} ${line}`));
  }

  /** Writes raw text to stderr (progress, tables for humans); secrets are scrubbed. */
  note(text: string): void {
    this.#sinks.stderr(this.#scrub(text));
  }

  #formatLine(level: LogLevel, message: string, fields: LogFields, colour: boolean): string {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    if (this.format === "json") {
      return JSON.stringify({
        time: new Date().toISOString(),
        level,
        msg: message,
        ...Object.fromEntries(entries),
      }) +
        "\n";
    }
    const label = colour ? `${COLOURS[level]}${LABELS[level]}\x1b[0m` : LABELS[level];
    let line = `${label}: ${message}\n`;
    for (const [key, value] of entries) {
      if (key === "hint") {
        for (const hint of String(value).split("\n")) line += `  ${hint}\n`;
      } else {
        line += `  ${key}: ${value}\n`;
      }
    }
    return line;
  }

  #scrub(text: string): string {
    for (const secret of this.#secrets) text = text.replaceAll(secret, REDACTED);
    return text;
  }
}

/**
 * Sinks bound to this process's stdout and stderr. A write error (EPIPE: the reader went away; ENOSPC: the
 * disk is full) on stdout becomes a {@linkcode WeepError} naming stdout; on stderr it is remembered, since
 * there is nowhere left to say it. Either way the process then exits 1, never with a stack trace.
 */
export function processSinks(): OutputSinks {
  const encoder = new TextEncoder();
  let failed = false;
  const write = (file: typeof Deno.stdout, text: string) => {
    const bytes = encoder.encode(text);
    let written = 0;
    try {
      while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  let noColor = false;
  try {
    noColor = (Deno.env.get("NO_COLOR") ?? "") !== "";
  } catch {
    noColor = true;
  }
  return {
    stdout(text) {
      try {
        write(Deno.stdout, text);
      } catch (error) {
        // One line: the reader went away or the disk is full, and stderr may be just as broken.
        throw new WeepError(`Cannot write to stdout: ${errorText(error)}`);
      }
    },
    stderr(text) {
      try {
        write(Deno.stderr, text);
      } catch {
        // Nowhere to report it; `writeFailed` makes the exit code say it.
      }
    },
    get writeFailed() {
      return failed;
    },
    stderrIsTerminal: Deno.stderr.isTerminal(),
    stdoutIsTerminal: Deno.stdout.isTerminal(),
    noColor,
  };
}

/** An output that keeps everything in memory; for tests of command functions. */
export function memoryOutput(): { output: Output; stdout: () => string; stderr: () => string } {
  let out = "";
  let err = "";
  const output = new Output({
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    stderrIsTerminal: false,
    stdoutIsTerminal: false,
    noColor: true,
  });
  return { output, stdout: () => out, stderr: () => err };
}
