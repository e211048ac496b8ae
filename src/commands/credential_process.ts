/**
 * `weep credential_process ROLE`: the `credential_process` helper the AWS CLI and SDKs run. Prints exactly one
 * line of JSON on stdout (`Version`, keys, token, `Expiration` in RFC 3339 UTC) and nothing else.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf, requireRole } from "../app.ts";
import type { GlobalOptions } from "../global_flags.ts";
import { connectConsoleMe, requireBaseUrl } from "../auth/connect.ts";
import { findSession } from "../auth/session.ts";
import { identityOf, keyUser } from "../cache/entry.ts";
import { cachedSource } from "../cache/cached_source.ts";
import { DEFAULT_STS_TIMEOUT_MS, validateRoleArn } from "../aws/sts/sts.ts";
import {
  credentialProcessJson,
  type CredentialQuery,
  credentialQuery,
  type CredentialSource,
} from "../aws/credentials.ts";
import { brokerSource } from "../consoleme/credential_source.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";
import { configFingerprint, type ConfigSnapshot, writeSnapshot } from "../cache/fast_path.ts";
import type { WeepConfig } from "../config/schema.ts";
import { UsageError } from "../errors.ts";
import { addGenerateOptions, type GenerateOptions, runGenerate } from "./generate.ts";
import { BUILD } from "../version.ts";
import { recordUse } from "../usage/log.ts";

/** The typed input of `credential_process`. */
export interface CredentialProcessInput {
  role: string;
  assumeRoles: string[];
  noIp: boolean;
}

/** Gets credentials for the input from `source` and returns the JSON line to print. */
export async function credentialProcess(
  input: CredentialProcessInput,
  source: CredentialSource,
  signal?: AbortSignal,
): Promise<string> {
  const query: CredentialQuery = { role: input.role, assumeRoles: input.assumeRoles, noIp: input.noIp };
  return credentialProcessJson(await source(query, signal));
}

/** Options of {@linkcode commandCredentialSource}. */
export interface SourceOptions {
  /** Serve fresh credentials from the cache (default true; `--no-cache` sets false). Results are always stored. */
  readCache?: boolean;
}

/** The credential source for a command: the cache in front of ConsoleMe plus the STS chain. */
export async function commandCredentialSource(
  app: App,
  globals: GlobalOptions,
  method: string,
  options: SourceOptions = {},
): Promise<CredentialSource> {
  const { config } = await app.loadConfig(globals);
  const url = requireBaseUrl(config, app.paths);
  let broker: CredentialSource | undefined;
  const source: CredentialSource = async (query, signal) => {
    // Connect only on a cache miss: a hit needs neither a login nor mTLS files.
    broker ??= brokerSource({
      client: await connectConsoleMe(app, config, method),
      region: config.aws.region,
      env: app.env,
      output: app.output,
      method,
    });
    return await broker(query, signal);
  };
  const cached = cachedSource(source, {
    dirs: app.paths,
    url,
    identity: () =>
      keyUser(identityOf(config), async () => (await findSession(app.paths, config.consoleme_url))?.user),
    minRemainingSeconds: config.cache.min_remaining,
    staleMinRemainingSeconds: config.cache.stale_min_remaining,
    failureWindowSeconds: config.cache.failure_window,
    fetchBudgetMs: (query) => fetchBudgetMs(config, query),
    read: options.readCache ?? true,
    now: app.now,
    output: app.output,
  });
  return async (query, signal) => {
    // A malformed --assume-role ARN is refused before any cache lookup or ConsoleMe request.
    for (const arn of query.assumeRoles) validateRoleArn(arn);
    const credentials = await cached(query, signal);
    // For `generate --used`: credential_process, export, file, serve (and whoami of weep's profiles) count.
    await recordUse(app.paths.usageDir, url, query.role, app.now());
    return credentials;
  };
}

/**
 * How long fetching `query` may legitimately take, which is how long other processes wait for the one that
 * does it: the ConsoleMe request, two STS calls per `--assume-role`, and a few seconds of weep's own work. A
 * login takes longer; its holder says so in the lock record while it runs.
 */
export function fetchBudgetMs(config: WeepConfig, query: CredentialQuery): number {
  return config.server.http_timeout * 1000 + query.assumeRoles.length * 2 * DEFAULT_STS_TIMEOUT_MS + 5000;
}

/** The values of `config` the fast path needs to find a cache entry. */
export function configSnapshot(config: WeepConfig): ConfigSnapshot {
  return {
    url: config.consoleme_url,
    origin: consoleMeOrigin(config.consoleme_url),
    identity: identityOf(config),
    minRemaining: config.cache.min_remaining,
  };
}

/** Registers `weep credential_process`. */
export function registerCredentialProcess(program: Command, app: App): void {
  const cp = program
    .command("credential_process")
    .description("print credentials for a role as credential_process JSON (for ~/.aws/config)")
    .argument("[role]", "role ARN or a search string that matches exactly one of your roles")
    .addHelpText(
      "after",
      "\nIn ~/.aws/config:\n  [profile prod]\n  credential_process = weep credential_process arn:aws:iam::123456789012:role/prod",
    )
    .option(
      "--no-cache",
      "ask ConsoleMe even when the cache holds fresh credentials (the result is still cached)",
    )
    .option("-g, --generate", "write a profile for every role you may use (same as weep generate)");
  addGenerateOptions(cp);
  cp.action(async (role, options, command) => {
    if (options.generate) {
      if (role) {
        throw new UsageError("credential_process --generate takes no role; use --include to choose roles");
      }
      return await runGenerate(app, globalsOf(command), command.opts() as GenerateOptions);
    }
    await runCredentialProcess(
      app,
      globalsOf(command),
      requireRole(role, "credential_process"),
      options.cache,
    );
  });
}

/**
 * Prints the credentials for `role` (the command's work, also run without the command tree by `src/cli/main.ts`
 * after a cache miss of the fast path), then records the config snapshot the fast path reads next time.
 */
export async function runCredentialProcess(
  app: App,
  globals: GlobalOptions,
  role: string,
  readCache: boolean,
): Promise<void> {
  // Hash the config inputs before reading them, so a snapshot never describes a newer file.
  const fingerprint = await configFingerprint(globals, app.paths, BUILD.embeddedConfig, app.env);
  const source = await commandCredentialSource(app, globals, "credential_process", { readCache });
  app.output.stdout(await credentialProcess(credentialQuery(role, globals), source, app.signal));
  const { config } = await app.loadConfig(globals);
  await writeSnapshot(app.paths, fingerprint, configSnapshot(config));
}
