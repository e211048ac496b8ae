/**
 * The composition layer's one module: it builds, from the {@linkcode App}, what commands share and domain modules
 * take as narrow dependencies: the credential source (the cache in front of ConsoleMe and the STS chain) of
 * `credential_process`, `export`, `file`, `serve` and `whoami`, `credential_process`'s work (also run without the
 * command tree after a cache miss, by `src/cli/direct.ts`), and the links `console` and `open` show.
 *
 * @module
 */

import type { App } from "./app.ts";
import { connectConsoleMe, requireBaseUrl } from "../auth/connect.ts";
import { findSession } from "../auth/session.ts";
import { DEFAULT_STS_TIMEOUT_MS, validateRoleArn } from "../aws/sts/sts.ts";
import {
  credentialProcessJson,
  type CredentialQuery,
  credentialQuery,
  type CredentialSource,
} from "../aws/credentials.ts";
import { cachedSource } from "../cache/cached_source.ts";
import { identityOf, keyUser } from "../cache/entry.ts";
import { configFingerprint, type ConfigSnapshot } from "../cache/fast_path.ts";
import { writeSnapshot } from "../cache/store.ts";
import { fetchBudgetMs, type FetchLimits, type HeldKeyLock } from "../cache/fast_wait.ts";
import type { WeepConfig } from "../config/schema.ts";
import type { LoadedConfig } from "../config/layers.ts";
import { storeConfig } from "../config/stored.ts";
import { brokerSource } from "../consoleme/credential_source.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";
import { requireTrustedUrl, type UrlTrust } from "../consoleme/trusted_url.ts";
import { WeepError } from "../errors.ts";
import type { GlobalOptions } from "../global_flags.ts";
import { openUrl, processOpenerEnv } from "../platform/opener.ts";
import type { Output } from "../platform/output.ts";
import { recordUse } from "../usage/log.ts";
import { BUILD } from "../version.ts";

/** `credential_process`'s work: gets credentials for `query` from `source`, returns the JSON line to print. */
export async function credentialProcess(
  query: CredentialQuery,
  source: CredentialSource,
  signal?: AbortSignal,
): Promise<string> {
  return credentialProcessJson(await source(query, signal));
}

/** Options of {@linkcode commandCredentialSource}. */
export interface SourceOptions {
  /** Serve fresh credentials from the cache (default true; `--no-cache` sets false). Results are always stored. */
  readCache?: boolean;
  /** The key's lock the fast path took (`src/cache/fast_wait.ts`). */
  held?: HeldKeyLock;
  /** The fingerprint of the config inputs, when the fast path computed it before reading them. */
  fingerprint?: string;
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
    fetchBudgetMs: (query) => fetchBudgetMs(fetchLimits(config), query),
    read: options.readCache ?? true,
    now: app.now,
    output: app.output,
    ...(options.held ? { held: options.held } : {}),
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
 * How long a fetch may legitimately take, which is how long other processes wait for the one that does it: the
 * ConsoleMe request and a few seconds of weep's own work, plus two STS calls per `--assume-role`; and how long
 * its failure is shared. A login takes longer; its holder says so in the lock record while it runs.
 */
export function fetchLimits(config: WeepConfig): FetchLimits {
  return {
    baseMs: config.server.http_timeout * 1000 + 5000,
    perAssumedRoleMs: 2 * DEFAULT_STS_TIMEOUT_MS,
    failureWindowSeconds: config.cache.failure_window,
  };
}

/**
 * The values of `config` the fast path needs to find a cache entry, and `layers` (the configuration before
 * command-line flags), which a miss takes in place of reading the files.
 */
export async function configSnapshot(config: WeepConfig, layers: LoadedConfig): Promise<ConfigSnapshot> {
  return {
    url: config.consoleme_url,
    origin: consoleMeOrigin(config.consoleme_url),
    identity: identityOf(config),
    minRemaining: config.cache.min_remaining,
    fetch: fetchLimits(config),
    loaded: await storeConfig(layers),
  };
}

/**
 * Prints the credentials for `role` (what `credential_process` runs, also without the command tree, by
 * `src/cli/direct.ts` after a cache miss of the fast path), then records the config snapshot the fast path reads
 * next time.
 */
export async function runCredentialProcess(
  app: App,
  globals: GlobalOptions,
  role: string,
  options: SourceOptions,
): Promise<void> {
  // Hash the config inputs before reading them, so a snapshot never describes a newer file.
  const fingerprint = options.fingerprint ??
    await configFingerprint(globals, app.paths, BUILD.embeddedConfig, app.env);
  const source = await commandCredentialSource(app, globals, "credential_process", options);
  app.output.stdout(await credentialProcess(credentialQuery(role, globals), source, app.signal));
  const { config } = await app.loadConfig(globals);
  await writeSnapshot(
    app.paths,
    fingerprint,
    await configSnapshot(config, await app.loadConfigLayers(globals)),
  );
}

/** Opens a URL in a browser; resolves whether it worked. */
export type Opener = (url: string) => Promise<boolean>;

/** The system browser opener. */
export function systemOpener(url: string): Promise<boolean> {
  return openUrl(url, processOpenerEnv());
}

/**
 * Shows `url` to the user: prints it on stdout with `noOpen`, else opens it and says so on stderr. A link that
 * is not ConsoleMe's (see `requireTrustedUrl`) is refused either way; a browser that cannot be opened is an
 * error whose message carries the link.
 */
export async function showLink(
  url: string,
  noOpen: boolean,
  trust: UrlTrust,
  output: Output,
  open: Opener,
): Promise<void> {
  requireTrustedUrl(url, trust, "the link");
  if (noOpen) {
    output.stdout(url + "\n");
    return;
  }
  if (!(await open(url))) {
    throw new WeepError(`Cannot open a browser; open this link yourself: ${url}`, {
      hints: ["On a machine without a desktop, use --no-open to print the link"],
    });
  }
  output.info(`Opened ${url} in your browser`);
}
