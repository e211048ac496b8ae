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
import { type App, collectList, globalsOf } from "../app.ts";
import type { GlobalOptions } from "../global_flags.ts";
import { connectConsoleMe, requireBaseUrl } from "../auth/connect.ts";
import { planProfiles } from "../aws/ini/config_file.ts";
import { checkAwsFileWritable, readAwsFile } from "../aws/ini/edit_file.ts";
import { type GenerateInput, generateProfiles, summary } from "../aws/generate_file.ts";
import { isRegionName, type ProfileChoice } from "../aws/generate_plan.ts";
import { profileCommand, profileConfig } from "../aws/profile_command.ts";
import { fieldList, parseTemplate, PRETTY_TEMPLATE, type ProfileTemplate } from "../aws/profile_template.ts";
import type { LoadedConfig } from "../config/load.ts";
import { envName } from "../config/schema.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";
import { parseInstallRecord } from "../config/install_record.ts";
import { readTrustedText } from "../platform/state_files.ts";
import { absolutePath } from "../platform/paths.ts";
import { UsageError, WeepError } from "../errors.ts";
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

/** Runs `generate` for the CLI: fetch roles, plan, write or diff, report. */
export async function runGenerate(app: App, globals: GlobalOptions, options: GenerateOptions): Promise<void> {
  if (options.pretty && options.name !== undefined) {
    throw new UsageError(`--pretty is --name '${PRETTY_TEMPLATE}': give one of them, not both`);
  }
  const period = usedOption(options.used);
  const loaded = await app.loadConfig(globals, {
    "generate.name": options.pretty ? PRETTY_TEMPLATE : options.name,
    "generate.profile_region": options.profileRegion,
  });
  const { config } = loaded;
  const { template, region } = generateSettings(loaded);
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
  let used: GenerateInput["used"];
  if (period !== undefined) {
    const uses = await readUsedRoles(app.paths.usageDir, roles, origin, period, app.now());
    used = { roles: new Set(uses.map((use) => use.role.arn)), period: period.text };
    app.output.info(
      `Used through weep in the last ${period.text}: ${uses.length} of your ${roles.length} roles`,
    );
  }
  const result = await generateProfiles(roles, {
    path,
    origin,
    config: profileConfig(facts, globals),
    credentialsPath: app.paths.credentialsFile,
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
  }, app.paths.locksDir);
  for (const warning of result.warnings) app.output.warn(warning);
  if (options.dryRun) app.output.stdout(result.diff);
  app.output.debug(`generate: ${roles.length} roles; own time ${result.ownMs.toFixed(1)} ms`);
  app.output.info(summary(result.plan, path, options.dryRun ?? false));
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
