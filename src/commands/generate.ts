/**
 * `weep generate` (also `weep credential_process --generate` and weep's old name
 * `generate_credential_process_config`): a `credential_process` profile for every role the user may use,
 * written into `~/.aws/config` by the line-preserving editor. Everything is fetched and validated before the
 * file is touched; `--dry-run` prints the diff instead.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { Command as BaseCommand } from "commander";
import { type App, collectList, type GlobalOptions, globalsOf } from "../app.ts";
import { connectConsoleMe } from "../auth/connect.ts";
import { type DesiredProfile, listSections, planProfiles, type ProfilePlan } from "../aws/config_file.ts";
import { unifiedDiff } from "../aws/diff.ts";
import { editAwsFile, readAwsFile } from "../aws/edit_file.ts";
import { nameProfiles, selectRoles } from "../aws/profiles.ts";
import { validateRoleArn } from "../aws/sts.ts";
import type { ConsoleMeRole } from "../consoleme/types.ts";
import { type InstallRecord, parseInstallRecord } from "../config/install_record.ts";
import { readTextIfExists } from "../platform/files.ts";
import { UsageError } from "../errors.ts";
import { absolutePath } from "../config/paths.ts";
import { errorText } from "../errors.ts";

/** What `generate` was asked to do. */
export interface GenerateInput {
  /** The config file to edit. */
  path: string;
  /** The credentials file, for shadowing warnings. */
  credentialsPath: string;
  pretty: boolean;
  /** The program that runs weep, e.g. `weep` or `/opt/weep/weep`. */
  command: string;
  /** Global flags every profile passes after `credential_process` (see {@linkcode profileCommand}). */
  flags: string[];
  include: string[];
  exclude: string[];
  prune: boolean;
  force: boolean;
  dryRun: boolean;
}

/** What the run did. */
export interface GenerateResult {
  plan: ProfilePlan;
  /** The unified diff, for `--dry-run`. */
  diff: string;
  /** Milliseconds spent by weep itself (planning and writing, not waiting for ConsoleMe). */
  ownMs: number;
  warnings: string[];
}

/** The profiles to write for `roles`: names checked per SDK, one `credential_process` key each. */
export function desiredProfiles(
  roles: readonly ConsoleMeRole[],
  input: Pick<GenerateInput, "pretty" | "command" | "flags" | "include" | "exclude">,
): { desired: DesiredProfile[]; warnings: string[] } {
  const selected = selectRoles(roles, { include: input.include, exclude: input.exclude });
  // SDKs run the line through a shell (JS, Go) or shlex (botocore): an ARN that either would read as more
  // than one word, or as shell syntax (IAM paths allow `$`, `(`, `;` ...), is never written into one.
  const unsafe = selected.filter((role) => !isSafeWord(role.arn));
  const naming = nameProfiles(selected.filter((role) => isSafeWord(role.arn)), {
    pretty: input.pretty,
    kind: "config",
  });
  const command = [input.command, "credential_process", ...input.flags].join(" ");
  const desired = naming.profiles.map(({ name, role }) => ({
    name,
    keys: [["credential_process", `${command} ${role.arn}`]] as const,
  }));
  const warnings = unsafe.map((role) =>
    `Skipped role "${role.arn}": its ARN has characters a shell would interpret, so no command line can name it`
  );
  return { desired, warnings: [...warnings, ...naming.warnings] };
}

/** Warnings for generated profiles that `~/.aws/credentials` sections of the same name would shadow. */
export function shadowWarnings(
  names: readonly string[],
  credentialsText: string | undefined,
  file: string,
): string[] {
  if (!credentialsText) return [];
  const wanted = new Set(names);
  return listSections(credentialsText, "credentials")
    .filter((section) => wanted.has(section.name))
    .map((section) =>
      `Profile "${section.name}" also has a section in ${file} (line ${section.line}): AWS clients will use ` +
      "those keys instead of credential_process; remove that section to use weep"
    );
}

/** Plans the edit, and writes it unless `dryRun`. Pure apart from the two files it reads and the one it writes. */
export async function generateProfiles(
  roles: readonly ConsoleMeRole[],
  input: GenerateInput,
  locksDir: string,
): Promise<GenerateResult> {
  const started = performance.now();
  const { desired, warnings } = desiredProfiles(roles, input);
  const options = { kind: "config" as const, prune: input.prune, force: input.force, label: input.path };
  const before = await readAwsFile(input.path) ?? "";
  // Plan once before taking the lock: a file we must refuse is refused without waiting for anyone.
  const first = planProfiles(before, desired, options);
  // The credentials file only feeds warnings: read it before writing, so that a file we cannot read fails
  // nothing (an error after the write would report a failure for a config that was written).
  let credentialsText: string | undefined;
  try {
    credentialsText = await readAwsFile(input.credentialsPath);
  } catch (error) {
    warnings.push(
      `Cannot check ${input.credentialsPath} for sections that shadow weep's profiles: ${errorText(error)}`,
    );
  }
  let plan = first;
  let diff = "";
  if (input.dryRun) {
    diff = unifiedDiff(before, plan.text, input.path, input.path);
  } else if (plan.changed) {
    // Planning is pure: when nobody changed the file meanwhile, the plan made above is the plan.
    plan = await editAwsFile(
      input.path,
      locksDir,
      (text) => text === before ? first : planProfiles(text, desired, options),
    );
  }
  warnings.push(...plan.warnings);
  warnings.push(...shadowWarnings(desired.map((d) => d.name), credentialsText, input.credentialsPath));
  return { plan, diff, ownMs: performance.now() - started, warnings };
}

/** The one-line summary: `added N, updated N, removed N, unchanged N, skipped N → <file>`. */
export function summary(plan: ProfilePlan, path: string, dryRun: boolean): string {
  const updated = plan.updated.length + plan.adopted.length;
  const counts = `added ${plan.added.length}, updated ${updated}, removed ${plan.removed.length}, ` +
    `unchanged ${plan.unchanged.length}, skipped ${plan.skipped.length}`;
  return dryRun ? `${counts} (dry run, nothing written) → ${path}` : `${counts} → ${path}`;
}

/** Characters a profile's command line may hold unquoted: every shell and botocore's shlex read them as one word. */
const SAFE_WORD = /^[A-Za-z0-9_+=,.@:\/-]+$/;

/** Whether `word` can stand unquoted in a `credential_process` line. */
export function isSafeWord(word: string): boolean {
  return SAFE_WORD.test(word);
}

/** What generated profiles run: the program, and the global flags that go after `credential_process`. */
export interface ProfileCommand {
  /** `weep`, or the absolute path of the installed executable. */
  program: string;
  /** `--config`, `--extra-config-file`, `-n`, `-A`, `-r` as the user passed them (paths made absolute). */
  flags: string[];
  warnings: string[];
}

/**
 * The command generated profiles run: `weep` when, at install time, the first `weep` on PATH was this
 * installation; otherwise the absolute path of the installed executable (quoted only when it has spaces, with a
 * warning). The global flags the user passed follow `credential_process`, so every profile sees the same
 * configuration and role chain, and the cache fast path still recognises the command.
 */
export function profileCommand(
  facts: {
    install?: InstallRecord | undefined;
    execPath: string;
    os: typeof Deno.build.os;
    /** The working directory, against which relative config paths are made absolute. */
    cwd: string;
  },
  globals: Pick<GlobalOptions, "config" | "extraConfigFile" | "noIp" | "assumeRole" | "region">,
): ProfileCommand {
  const warnings: string[] = [];
  const quoted = (word: string) => (/\s/.test(word) ? `"${word}"` : word);
  const exe = facts.install?.path ??
    (/(^|[\\/])weep(\.exe)?$/i.test(facts.execPath) ? facts.execPath : undefined);
  let program: string;
  if (exe === undefined) {
    program = "weep";
    warnings.push(
      "weep is not installed; the profiles run `weep` from PATH (install it with `deno task install`)",
    );
  } else if (facts.install?.firstOnPath) {
    program = "weep";
  } else {
    program = quoted(exe);
    if (program !== exe) {
      warnings.push(
        `The path of weep has spaces (${exe}); the AWS SDK for Go on Windows cannot run such a command: ` +
          "put weep in a directory on PATH, or pass --command",
      );
    }
  }
  const flags: string[] = [];
  for (
    const [flag, value] of [["--config", globals.config], [
      "--extra-config-file",
      globals.extraConfigFile,
    ]] as const
  ) {
    if (!value) continue;
    // The AWS tools run the profile from any directory: a relative path would name another file there.
    flags.push(flag, quoted(absolutePath(value, facts.cwd, facts.os)));
  }
  if (globals.noIp) flags.push("-n");
  for (const arn of globals.assumeRole ?? []) {
    validateRoleArn(arn);
    if (!isSafeWord(arn)) throw new UsageError(`Cannot write --assume-role "${arn}" into a command line`);
    flags.push("-A", arn);
  }
  if (globals.region) {
    if (!isSafeWord(globals.region)) throw new UsageError(`Invalid --region "${globals.region}"`);
    flags.push("-r", globals.region);
  }
  return { program, flags, warnings };
}

/** Options `generate` takes, shared with `credential_process --generate`. */
export interface GenerateOptions {
  pretty?: boolean | undefined;
  output?: string | undefined;
  command?: string | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  prune?: boolean | undefined;
  force?: boolean | undefined;
  dryRun?: boolean | undefined;
}

/** Runs `generate` for the CLI: fetch roles, plan, write or diff, report. */
export async function runGenerate(app: App, globals: GlobalOptions, options: GenerateOptions): Promise<void> {
  const { config } = await app.loadConfig(globals);
  // Absolute, so that every spelling of one file takes the same lock.
  const path = options.output === undefined
    ? app.paths.configFile
    : absolutePath(options.output, Deno.cwd(), Deno.build.os);
  const resolved = profileCommand({
    install: parseInstallRecord(await readTextIfExists(app.paths.installFile).catch(() => undefined)),
    execPath: Deno.execPath(),
    os: Deno.build.os,
    cwd: Deno.cwd(),
  }, globals);
  const command = options.command ?? resolved.program;
  if (options.command === undefined) { for (const warning of resolved.warnings) app.output.warn(warning); }
  // Refuse a file AWS tools reject before asking ConsoleMe (which may mean a login in the browser).
  planProfiles(await readAwsFile(path) ?? "", [], { kind: "config", label: path });
  const client = await connectConsoleMe(app, config, "generate");
  const roles = await client.getRoles();
  const result = await generateProfiles(roles, {
    path,
    credentialsPath: app.paths.credentialsFile,
    pretty: options.pretty ?? false,
    command,
    flags: resolved.flags,
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    prune: options.prune ?? false,
    force: options.force ?? false,
    dryRun: options.dryRun ?? false,
  }, app.paths.locksDir);
  for (const warning of result.warnings) app.output.warn(warning);
  if (options.dryRun) app.output.stdout(result.diff);
  app.output.debug(`generate: ${roles.length} roles; own time ${result.ownMs.toFixed(1)} ms`);
  app.output.info(summary(result.plan, path, options.dryRun ?? false));
}

/** generate's options: flags, description, and the parser of repeatable ones. */
const GENERATE_OPTIONS: [string, string, ((value: string, previous: string[] | undefined) => string[])?][] = [
  ["-p, --pretty", "name profiles <account>-<role> instead of by role ARN"],
  ["-o, --output <file>", "the config file to write (default: AWS_CONFIG_FILE or ~/.aws/config)"],
  ["--command <command>", "the command profiles run instead of weep (e.g. /opt/weep/weep)"],
  ["--include <glob>", "only roles whose ARN, account or role name matches (repeatable)", collectList],
  ["--exclude <glob>", "leave out roles whose ARN, account or role name matches (repeatable)", collectList],
  ["--prune", "remove profiles weep wrote for roles you no longer have"],
  ["--force", "take over same-named profiles weep did not write"],
  ["--dry-run", "print a unified diff of the change and write nothing"],
];

/** Adds generate's options to `command` (generate itself, and `credential_process --generate`). */
export function addGenerateOptions(command: unknown): void {
  const target = command as BaseCommand;
  for (const [flags, description, parse] of GENERATE_OPTIONS) {
    if (parse) target.option(flags, description, parse);
    else target.option(flags, description);
  }
}

/** Registers `weep generate` and its old name. */
export function registerGenerate(program: Command, app: App): void {
  const generate = program
    .command("generate")
    .alias("generate_credential_process_config")
    .description("write a credential_process profile for every role you may use into ~/.aws/config");
  addGenerateOptions(generate);
  generate.action(async (_options, command) => {
    await runGenerate(app, globalsOf(command), command.opts() as GenerateOptions);
  });
}
