/**
 * weep's global flags, in one table: the command tree declares them from it (`src/cli/program.ts`), the cache
 * fast path and the readers of `credential_process` lines parse with {@linkcode readArgs}, and `generate` writes
 * them into profiles from it. The cache hit loads it, so it stays small and imports nothing.
 *
 * @module
 */

/** Log levels, most verbose first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** A log level. */
export type LogLevel = typeof LOG_LEVELS[number];
/** Log formats for stderr. */
export const LOG_FORMATS = ["tty", "json"] as const;
/** A log format. */
export type LogFormat = typeof LOG_FORMATS[number];

/** One global flag. */
export interface GlobalFlag {
  /** `-c`; a switch's short form may be clustered with others (`-nA ARN`). */
  readonly short?: string;
  /** `--config`. */
  readonly long: string;
  /** The name of the flag's value in help (`file` for `<file>`); a flag without one is a switch. */
  readonly value?: string;
  /** The field of {@linkcode GlobalOptions} the flag sets. */
  readonly field: string;
  /** Repeatable, and each value a comma-separated list (`-A a -A b` equals `-A a,b`). */
  readonly list?: boolean;
  /** The values the flag accepts. */
  readonly choices?: readonly string[];
  /** Whether generated profiles pass the flag on, and in which form (the one profiles have always had). */
  readonly inProfile?: "short" | "long";
  readonly description: string;
}

/** Every global flag, in the order help shows them. */
export const GLOBAL_FLAGS = [
  {
    short: "-c",
    long: "--config",
    value: "file",
    field: "config",
    inProfile: "long",
    description: "use this YAML config file instead of ~/.aws/weep/weep.yaml",
  },
  {
    long: "--extra-config-file",
    value: "file",
    field: "extraConfigFile",
    inProfile: "long",
    description: "merge this YAML config file over the loaded config",
  },
  {
    short: "-n",
    long: "--no-ip",
    field: "noIp",
    inProfile: "short",
    description: "ask for credentials without IP restrictions",
  },
  {
    short: "-A",
    long: "--assume-role",
    value: "arn",
    field: "assumeRole",
    list: true,
    inProfile: "short",
    description: "assume this role after getting credentials (repeatable)",
  },
  {
    short: "-r",
    long: "--region",
    value: "region",
    field: "region",
    inProfile: "short",
    description: "AWS region for STS calls (default: aws.region)",
  },
  { long: "--log-level", value: "level", field: "logLevel", choices: LOG_LEVELS, description: "log level" },
  {
    long: "--log-format",
    value: "format",
    field: "logFormat",
    choices: LOG_FORMATS,
    description: "log format on stderr",
  },
  {
    long: "--log-file",
    value: "file",
    field: "logFile",
    description: "also write log lines to this file (under ~/.aws, e.g. ~/.aws/weep/weep.log)",
  },
] as const satisfies readonly GlobalFlag[];

type FlagValue<F> = F extends { list: true } ? string[]
  : F extends { choices: readonly (infer C)[] } ? C
  : F extends { value: string } ? string
  : boolean;

/** weep's global options (available on every command): one field per flag of {@linkcode GLOBAL_FLAGS}. */
export type GlobalOptions = {
  -readonly [F in (typeof GLOBAL_FLAGS)[number] as F["field"]]?: FlagValue<F> | undefined;
};

/** The items of a list flag's value: comma-separated, trimmed, empty ones dropped. */
export function listItems(value: string): string[] {
  return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** One word of a weep command line (or one flag of a cluster such as `-nA`), read as commander reads it. */
export type ArgToken =
  /** A global flag; `value` is `undefined` for a switch, and for a flag whose value is missing at the end. */
  | { kind: "flag"; flag: GlobalFlag; value: string | undefined }
  /** Any other option (a command's own); whatever follows it is read on its own. */
  | { kind: "option"; text: string }
  /** A command name or argument (everything after `--` is one). */
  | { kind: "operand"; text: string };

const flagNamed = (name: string): GlobalFlag | undefined =>
  (GLOBAL_FLAGS as readonly GlobalFlag[]).find((flag) => flag.short === name || flag.long === name);

/**
 * Reads `args` (everything after the program) the way commander reads the global flags, wherever they are:
 * `-c FILE`, `-cFILE`, `--config FILE`, `--config=FILE`, switches clustered with the flag after them
 * (`-nA ARN`, `-nAARN`), and `--` ending the options.
 */
export function readArgs(args: readonly string[]): ArgToken[] {
  const tokens: ArgToken[] = [];
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    if (arg === "--") {
      for (const text of args.slice(i + 1)) tokens.push({ kind: "operand", text });
      break;
    }
    while (arg !== "") {
      const exact = arg.length > 1 && arg.startsWith("-") ? flagNamed(arg) : undefined;
      // `--name=value` (no regular expression: the cache hit runs this, and a first one costs a compile).
      const eq = arg.startsWith("--") ? arg.indexOf("=", 3) : -1;
      const long = eq > 0 ? flagNamed(arg.slice(0, eq)) : undefined;
      const cluster = arg.length > 2 && arg[0] === "-" && arg[1] !== "-"
        ? flagNamed(arg.slice(0, 2))
        : undefined;
      if (exact) {
        tokens.push({ kind: "flag", flag: exact, value: exact.value === undefined ? undefined : args[++i] });
      } else if (long?.value !== undefined) {
        tokens.push({ kind: "flag", flag: long, value: arg.slice(eq + 1) });
      } else if (cluster) {
        if (cluster.value !== undefined) tokens.push({ kind: "flag", flag: cluster, value: arg.slice(2) });
        else {
          tokens.push({ kind: "flag", flag: cluster, value: undefined });
          arg = `-${arg.slice(2)}`;
          continue;
        }
      } else {
        tokens.push(
          arg.length > 1 && arg.startsWith("-")
            ? { kind: "option", text: arg }
            : { kind: "operand", text: arg },
        );
      }
      arg = "";
    }
  }
  return tokens;
}

/**
 * Sets the field of a flag read by {@linkcode readArgs} in `options` (a list flag adds its items); `false`, and
 * nothing set, when its value is missing or not one of its choices.
 */
export function applyFlag(options: GlobalOptions, flag: GlobalFlag, value: string | undefined): boolean {
  const fields = options as Record<string, unknown>;
  if (flag.value === undefined) {
    fields[flag.field] = true;
    return true;
  }
  if (value === undefined || (flag.choices !== undefined && !flag.choices.includes(value))) return false;
  fields[flag.field] = flag.list
    ? [...(fields[flag.field] as string[] | undefined ?? []), ...listItems(value)]
    : value;
  return true;
}
