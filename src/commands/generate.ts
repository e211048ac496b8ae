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
import { connectConsoleMe, requireBaseUrl } from "../auth/connect.ts";
import {
  type DesiredProfile,
  listSections,
  type PlanOptions,
  planProfiles,
  type ProfilePlan,
} from "../aws/config_file.ts";
import { unifiedDiff } from "../aws/diff.ts";
import { checkAwsFileWritable, editAwsFile, readAwsFile } from "../aws/edit_file.ts";
import { isSafeWord, legacyProfileRole, profileCommand, profileConfig } from "../aws/profile_command.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";
import { nameProfiles, selectRoles } from "../aws/profiles.ts";
import type { ConsoleMeRole } from "../consoleme/types.ts";
import { parseInstallRecord } from "../config/install_record.ts";
import { readTrustedText } from "../platform/state_files.ts";
import { absolutePath } from "../config/paths.ts";
import { errorText, WeepError } from "../errors.ts";

/** What `generate` was asked to do. */
export interface GenerateInput {
  /** The config file to edit. */
  path: string;
  /** The origin of the ConsoleMe the roles come from (see `consoleMeOrigin`). */
  origin: string;
  /**
   * The absolute `--config` and `--extra-config-file` the profiles name: profiles with weep's older marker
   * that name the same are this ConsoleMe's.
   */
  config: { config: string | undefined; extraConfigFile: string | undefined };
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

/**
 * The profiles to write for `roles`: names checked per SDK, one `credential_process` key each, owned by
 * `input.origin`; and the roles the filters selected (prune keeps their profiles).
 */
export function desiredProfiles(
  roles: readonly ConsoleMeRole[],
  input: Pick<GenerateInput, "origin" | "pretty" | "command" | "flags" | "include" | "exclude">,
): { desired: DesiredProfile[]; selected: ConsoleMeRole[]; warnings: string[] } {
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
    owner: { origin: input.origin, role: role.arn },
  }));
  const warnings = unsafe.map((role) =>
    `Skipped role "${role.arn}": its ARN has characters a shell would interpret, so no command line can name it`
  );
  return { desired, selected, warnings: [...warnings, ...naming.warnings] };
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

/**
 * Refuses `--prune` without `--force` when it would go by an empty list: ConsoleMe listing no roles at all
 * (an outage page read as a list, a new account) or filters that leave none would remove every profile
 * weep wrote from this ConsoleMe.
 */
export function checkPruneList(
  roles: readonly ConsoleMeRole[],
  selected: readonly ConsoleMeRole[],
  input: Pick<GenerateInput, "origin" | "prune" | "force">,
): void {
  if (!input.prune || input.force || selected.length > 0) return;
  const why = roles.length === 0
    ? `ConsoleMe at "${input.origin}" lists no roles for you`
    : `--include and --exclude leave none of your ${roles.length} roles`;
  throw new WeepError(`${why}: refusing to --prune, which would remove every profile weep wrote from it`, {
    hints: [
      "Nothing was changed",
      "If every role really is gone, run the same command with --force to remove their profiles",
    ],
  });
}

/** Plans the edit, and writes it unless `dryRun`. Pure apart from the two files it reads and the one it writes. */
export async function generateProfiles(
  roles: readonly ConsoleMeRole[],
  input: GenerateInput,
  locksDir: string,
): Promise<GenerateResult> {
  const started = performance.now();
  const { desired, selected, warnings } = desiredProfiles(roles, input);
  checkPruneList(roles, selected, input);
  const options: PlanOptions = {
    kind: "config",
    prune: input.prune,
    force: input.force,
    label: input.path,
    origin: input.origin,
    present: new Set(selected.map((role) => role.arn)),
    legacyRole: (section) =>
      legacyProfileRole(section.keys.get("credential_process"), input.config, Deno.build.os),
  };
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
  // Loops, not spreads: a 100,000-role account can have that many warnings.
  for (const warning of plan.warnings) warnings.push(warning);
  const shadowed = shadowWarnings(desired.map((d) => d.name), credentialsText, input.credentialsPath);
  for (const warning of shadowed) warnings.push(warning);
  return { plan, diff, ownMs: performance.now() - started, warnings };
}

/** The one-line summary: `added N, updated N, renamed N, removed N, unchanged N, skipped N → <file>`. */
export function summary(plan: ProfilePlan, path: string, dryRun: boolean): string {
  const updated = plan.updated.length + plan.adopted.length;
  const counts = `added ${plan.added.length}, updated ${updated}, renamed ${plan.renamed.length}, ` +
    `removed ${plan.removed.length}, unchanged ${plan.unchanged.length}, skipped ${plan.skipped.length}`;
  return dryRun ? `${counts} (dry run, nothing written) → ${path}` : `${counts} → ${path}`;
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
  const origin = consoleMeOrigin(requireBaseUrl(config, app.paths));
  // Absolute, so that every spelling of one file takes the same lock.
  const path = options.output === undefined
    ? app.paths.configFile
    : absolutePath(options.output, Deno.cwd(), Deno.build.os);
  const facts = {
    // The record names the program profiles run: only one of this user's own is believed.
    install: parseInstallRecord(
      await readTrustedText(
        app.paths.installFile,
        "the install record",
        "deno task install writes a new one",
      ),
    ),
    execPath: Deno.execPath(),
    os: Deno.build.os,
    cwd: Deno.cwd(),
  };
  const resolved = profileCommand(facts, globals);
  const command = options.command ?? resolved.program;
  if (options.command === undefined) { for (const warning of resolved.warnings) app.output.warn(warning); }
  // Refuse a file AWS tools reject before asking ConsoleMe (which may mean a login in the browser).
  planProfiles(await readAwsFile(path) ?? "", [], { kind: "config", label: path });
  if (!options.dryRun) await checkAwsFileWritable(path);
  const client = await connectConsoleMe(app, config, "generate");
  const roles = await client.getRoles();
  const result = await generateProfiles(roles, {
    path,
    origin,
    config: profileConfig(facts, globals),
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
