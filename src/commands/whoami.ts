/**
 * `weep whoami`: who the AWS credentials of this environment belong to (STS `GetCallerIdentity`), found the
 * way the AWS CLI finds them: environment keys, `--profile` or `AWS_PROFILE`. A profile that runs weep's
 * own `credential_process` is resolved in-process, without starting weep again.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import type { GlobalOptions } from "../global_flags.ts";
import { type Principal, principalOf } from "../aws/arn.ts";
import { type ChainSource, resolveCredentialChain } from "../aws/credential_chain.ts";
import { credentialQuery } from "../aws/credentials.ts";
import { globalsFromArgs } from "../aws/process_command.ts";
import type { SigningCredentials } from "../aws/sts/sigv4.ts";
import { type CallerIdentity, getCallerIdentity, resolveStsEndpoint } from "../aws/sts/sts.ts";
import { readTextIfExists } from "../platform/files.ts";
import { outsideText } from "../platform/outside_text.ts";
import { commandCredentialSource } from "../app/compose.ts";
import { fileExists, findMtlsFiles, mtlsHttpClient } from "../auth/mtls.ts";
import type { WeepConfig } from "../config/schema.ts";
import { swagAccountName } from "../consoleme/swag.ts";
import { InterruptedError, WeepError } from "../errors.ts";
import { USER_AGENT } from "../version.ts";

/** The `whoami` answer with where the credentials came from. */
export interface Whoami extends CallerIdentity {
  principal: Principal;
  source: string;
  /** The account's name in SWAG (`swag.enable`), when SWAG knows it. */
  accountName?: string | undefined;
}

/** Renders `whoami` for people: `Role:` (or `User:`), `Account:`, `ARN:`, `UserId:`, `Source:`, aligned. */
export function formatWhoami(who: Whoami): string {
  const first: [string, string] = who.principal.type === "assumed-role"
    ? ["Role:", who.principal.name]
    : ["User:", who.principal.type === "root" ? "root (the account's root user)" : who.principal.name];
  const rows: [string, string][] = [
    first,
    ["Account:", who.accountName ? `${who.accountName} (${who.account})` : who.account],
    ["ARN:", who.arn],
    ["UserId:", who.userId],
    ["Source:", who.source],
  ];
  // STS's answer, made terminal-safe: this is read by people.
  return rows.map(([label, value]) => `${label.padEnd(9)}${outsideText(value)}`).join("\n") + "\n";
}

/** The JSON form: `{account, account_name, arn, user_id, type, name, session, source}`. */
export function whoamiJson(who: Whoami): string {
  const { principal } = who;
  return JSON.stringify(
    {
      account: who.account,
      account_name: who.accountName ?? null,
      arn: who.arn,
      user_id: who.userId,
      type: principal.type,
      name: principal.name,
      session: principal.session ?? null,
      source: who.source,
    },
    null,
    2,
  ) + "\n";
}

/** Credentials for a chain source: static keys as they are, weep's own profile through the credential source. */
async function signingCredentials(app: App, source: ChainSource): Promise<SigningCredentials> {
  if (source.kind === "static") return source.credentials;
  const globals = globalsFromArgs(source.args);
  const credentials = await commandCredentialSource(app, globals, "whoami");
  return await credentials(credentialQuery(source.role, globals));
}

/**
 * The account's name in SWAG (`swag.enable`), or `undefined` when SWAG does not know it or cannot say: that
 * is one warning on stderr, and `whoami` shows the account number.
 */
async function accountNameFromSwag(
  app: App,
  config: WeepConfig,
  account: string,
): Promise<string | undefined> {
  if (!config.swag.url) {
    app.output.log("warn", "swag.enable is set but swag.url is empty: the account name cannot be looked up", {
      hint: "Set swag.url in ~/.aws/weep/weep.yaml (or swag.enable: false)",
    });
    return undefined;
  }
  let client: Deno.HttpClient | undefined;
  try {
    if (config.swag.use_mtls) {
      const env = { home: app.paths.home, os: Deno.build.os, exists: fileExists };
      client = await mtlsHttpClient(await findMtlsFiles(config.mtls_settings, env));
    }
    const deps = { fetch, client, timeoutMs: config.server.http_timeout * 1000, signal: app.signal };
    return await swagAccountName(config.swag.url, account, { ...deps, userAgent: USER_AGENT });
  } catch (error) {
    if (!(error instanceof WeepError) || error instanceof InterruptedError) throw error;
    const hint = error.hints.length ? { hint: error.hints.join("\n") } : {};
    app.output.log("warn", error.message, hint);
    return undefined;
  } finally {
    client?.close();
  }
}

/** Finds the environment's credentials and asks STS who they belong to. */
export async function whoami(app: App, globals: GlobalOptions, profile: string | undefined): Promise<Whoami> {
  const { config } = await app.loadConfig(globals);
  const chain = resolveCredentialChain({
    configText: await readTextIfExists(app.paths.configFile),
    credentialsText: await readTextIfExists(app.paths.credentialsFile),
    env: app.env,
    profile,
    region: globals.region,
    configRegion: config.aws.region,
    configPath: app.paths.configFile,
    credentialsPath: app.paths.credentialsFile,
    os: Deno.build.os,
  });
  const credentials = await signingCredentials(app, chain.source);
  app.output.redact(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken);
  const region = chain.region ?? config.aws.region;
  const identity = await getCallerIdentity(credentials, {
    region,
    endpoint: resolveStsEndpoint(region, app.env),
  }, {
    fetch,
    now: app.now,
    signal: app.signal,
    log: (message, level) => app.output.log(level, message),
  });
  const accountName = config.swag.enable
    ? await accountNameFromSwag(app, config, identity.account)
    : undefined;
  return { ...identity, principal: principalOf(identity.arn), source: chain.source.from, accountName };
}

/** Registers `weep whoami`. */
export function registerWhoami(program: Command, app: App): void {
  program
    .command("whoami")
    .description("show who the AWS credentials of this environment belong to (STS GetCallerIdentity)")
    .option(
      "-p, --profile <name>",
      "use this AWS profile (default: AWS_PROFILE, else the environment's keys)",
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      '\nExamples:\n  weep whoami\n  weep whoami --profile prod\n  eval "$(weep export prod_admin)" && weep whoami --json',
    )
    .action(async (options, command) => {
      const who = await whoami(app, globalsOf(command), options.profile);
      app.output.stdout(options.json ? whoamiJson(who) : formatWhoami(who));
    });
}
