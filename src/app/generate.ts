/**
 * `weep generate`'s work, shared with `weep credential_process --generate`: the options both take, the naming
 * settings, and {@linkcode runGenerate}, which writes a `credential_process` profile for every role the user may
 * use into `~/.aws/config` by the line-preserving editor. Everything is fetched and validated before the file is
 * touched; `--dry-run` prints the diff instead.
 *
 * @module
 */

import type { Command as BaseCommand } from "commander";
import type { App } from "./app.ts";
import { collectList } from "./options.ts";
import { connectConsoleMe, requireBaseUrl } from "../auth/connect.ts";
import { checkAwsFileWritable } from "../aws/ini/edit_file.ts";
import { type GenerateInput, generateProfiles, readConfigForEdit, summary } from "../aws/generate_file.ts";
import { isRegionName, type ProfileChoice } from "../aws/generate_plan.ts";
import { profileCommand, profileConfig, type ProfileGlobals } from "../aws/profile_command.ts";
import { fieldList, parseTemplate, PRETTY_TEMPLATE, type ProfileTemplate } from "../aws/profile_template.ts";
import type { LoadedConfig } from "../config/load.ts";
import { parseInstallRecord } from "../config/install_record.ts";
import { envName, type WeepConfig } from "../config/schema.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";
import type { ConsoleMeClient } from "../consoleme/types.ts";
import { UsageError, WeepError } from "../errors.ts";
import type { GlobalOptions } from "../global_flags.ts";
import type { Output } from "../platform/output.ts";
import { absolutePath, type WeepPaths } from "../platform/paths.ts";
import { readTrustedText } from "../platform/state_files.ts";
import { DEFAULT_SINCE, readUsedRoles, usedOption } from "../usage/used_roles.ts";

/**
 * The naming template and the region for new profiles, from `--name`/`--pretty`/`--profile-region` (loaded
 * as flags) or the `generate.*` keys. A value that cannot work is refused, naming where it came from.
 */
export function generateSettings(loaded: LoadedConfig): Pick<ProfileChoice, "template" | "region"> {
  const refuse = (key: string, flag: string, value: string, problem: string, hint: string) => {
    const source = loaded.sources.get(key) ?? "default";
    // JSON quoting: a value from outside never reaches the terminal with its control characters.
    const shown = JSON.stringify(value);
    if (source === "flags") throw new UsageError(`Invalid ${flag} ${shown}: ${problem}`, { hints: [hint] });
    const where = source === "environment" ? `environment variable ${envName(key)}` : `"${source}"`;
    throw new WeepError(`Invalid config in ${where}: key "${key}" is ${shown}, but ${problem}`, {
      hints: [hint],
    });
  };
  const { name, profile_region: region } = loaded.config.generate;
  let template: ProfileTemplate | undefined;
  if (name !== "") {
    const parsed = parseTemplate(name);
    if ("problem" in parsed) {
      refuse(
        "generate.name",
        "--name",
        name,
        parsed.problem,
        `Fields: ${fieldList()}; e.g. '${PRETTY_TEMPLATE}'`,
      );
    } else template = parsed;
  }
  if (region !== "" && !isRegionName(region)) {
    refuse(
      "generate.profile_region",
      "--profile-region",
      region,
      "it is no AWS region name",
      "e.g. us-east-1",
    );
  }
  return { template, region: region || undefined };
}

/** Options `generate` takes, shared with `credential_process --generate`. */
export interface GenerateOptions {
  pretty?: boolean | undefined;
  name?: string | undefined;
  profileRegion?: string | undefined;
  used?: string | boolean | undefined;
  output?: string | undefined;
  command?: string | undefined;
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  prune?: boolean | undefined;
  force?: boolean | undefined;
  dryRun?: boolean | undefined;
}

/** What `generate` needs from outside. */
export interface GenerateDeps {
  /** Loads the configuration (the global options applied) with generate's own flag values. */
  loadConfig: (flags: Record<string, unknown>) => Promise<LoadedConfig>;
  paths: Pick<
    WeepPaths,
    "home" | "weepConfigFile" | "configFile" | "credentialsFile" | "installFile" | "usageDir" | "locksDir"
  >;
  /** Connects to ConsoleMe as `config` says; called only once the file is known to be one weep may change. */
  connect: (config: WeepConfig) => Promise<Pick<ConsoleMeClient, "getRoles">>;
  /** This process: its executable (what profiles run), its OS, and the directory relative paths are under. */
  process: { execPath: string; os: typeof Deno.build.os; cwd: string };
  output: Output;
  now: () => Date;
}

/** The dependencies of {@linkcode runGenerate} for the CLI: from the app, with the global options. */
export function generateDeps(app: App, globals: GlobalOptions): GenerateDeps {
  return {
    loadConfig: (flags) => app.loadConfig(globals, flags),
    paths: app.paths,
    connect: (config) => connectConsoleMe(app, config, "generate"),
    process: { execPath: Deno.execPath(), os: Deno.build.os, cwd: Deno.cwd() },
    output: app.output,
    now: app.now,
  };
}

/**
 * Runs `generate` (and `credential_process --generate`): fetch the roles, plan, write or diff, report. The
 * global options the profiles pass on are `globals`.
 */
export async function runGenerate(
  options: GenerateOptions,
  globals: ProfileGlobals,
  deps: GenerateDeps,
): Promise<void> {
  if (options.pretty && options.name !== undefined) {
    throw new UsageError(`--pretty is --name '${PRETTY_TEMPLATE}': give one of them, not both`);
  }
  const period = usedOption(options.used);
  const loaded = await deps.loadConfig({
    "generate.name": options.pretty ? PRETTY_TEMPLATE : options.name,
    "generate.profile_region": options.profileRegion,
  });
  const { config } = loaded;
  const { template, region } = generateSettings(loaded);
  const { paths, output } = deps;
  const origin = consoleMeOrigin(requireBaseUrl(config, paths));
  // Absolute, so that every spelling of one file takes the same lock.
  const path = options.output === undefined
    ? paths.configFile
    : absolutePath(options.output, deps.process.cwd, deps.process.os);
  const facts = {
    // The record names the program profiles run: only one of this user's own is believed.
    install: parseInstallRecord(
      await readTrustedText(
        paths.installFile,
        "the install record",
        "deno task install writes a new one",
      ),
    ),
    ...deps.process,
  };
  const resolved = profileCommand(facts, globals);
  const command = options.command ?? resolved.program;
  if (options.command === undefined) { for (const warning of resolved.warnings) output.warn(warning); }
  // Refuse a file AWS tools reject before asking ConsoleMe (which may mean a login in the browser).
  const checked = await readConfigForEdit(path);
  if (!options.dryRun) await checkAwsFileWritable(path);
  const client = await deps.connect(config);
  const roles = await client.getRoles({ apps: false });
  let used: GenerateInput["used"];
  if (period !== undefined) {
    const uses = await readUsedRoles(paths.usageDir, roles, origin, period, deps.now());
    used = { roles: new Set(uses.map((use) => use.role.arn)), period: period.text };
    output.info(
      `Used through weep in the last ${period.text}: ${uses.length} of your ${roles.length} roles`,
    );
  }
  const result = await generateProfiles(roles, {
    path,
    origin,
    config: profileConfig(facts, globals),
    credentialsPath: paths.credentialsFile,
    template,
    region,
    used,
    command,
    flags: resolved.flags,
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    prune: options.prune ?? false,
    force: options.force ?? false,
    dryRun: options.dryRun ?? false,
    checked,
  }, paths.locksDir);
  for (const warning of result.warnings) output.warn(warning);
  if (options.dryRun) output.stdout(result.diff);
  output.debug(`generate: ${roles.length} roles; own time ${result.ownMs.toFixed(1)} ms`);
  output.info(summary(result.plan, path, options.dryRun ?? false));
}

/** generate's options: flags, description, and the parser of repeatable ones. */
const GENERATE_OPTIONS: [string, string, ((value: string, previous: string[] | undefined) => string[])?][] = [
  [
    "-p, --pretty",
    `name profiles ${PRETTY_TEMPLATE} instead of by role ARN (same as --name '${PRETTY_TEMPLATE}')`,
  ],
  ["--name <template>", `name profiles by a template of ${fieldList()} (config: generate.name)`],
  [
    "--used [period]",
    `only roles you used through weep in the last period (default ${DEFAULT_SINCE}; h, d, w)`,
  ],
  [
    "--profile-region <region>",
    "write region = REGION into profiles weep adds (config: generate.profile_region)",
  ],
  ["-o, --output <file>", "the config file to write (default: AWS_CONFIG_FILE or ~/.aws/config)"],
  ["--command <command>", "the command profiles run instead of weep (e.g. /opt/weep/weep)"],
  ["--include <glob>", "only roles whose ARN, account or role name matches (repeatable)", collectList],
  ["--exclude <glob>", "leave out roles whose ARN, account or role name matches (repeatable)", collectList],
  ["--prune", "remove profiles weep wrote for roles you no longer have (with --used: did not use)"],
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
