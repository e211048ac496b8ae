/**
 * Connects to ConsoleMe the way the configuration says: checks `consoleme_url`, picks challenge login or
 * mTLS, and returns an authenticated {@linkcode ConsoleMeClient}.
 *
 * @module
 */

import { createClient, type RequestAuth } from "../consoleme/client.ts";
import type { HttpDeps } from "../consoleme/http.ts";
import type { ConsoleMeClient } from "../consoleme/types.ts";
import type { WeepConfig } from "../config/schema.ts";
import { missingUrlHints } from "../config/netflix.ts";
import type { WeepPaths } from "../platform/paths.ts";
import { WeepError } from "../errors.ts";
import { openUrl, processOpenerEnv } from "../platform/opener.ts";
import { USER_AGENT, VERSION } from "../version.ts";
import { challengeAuth } from "./challenge.ts";
import type { SessionStore } from "./session.ts";
import type { Output } from "../platform/output.ts";
import { fileExists, findMtlsFiles, mtlsHttpClient } from "./mtls.ts";

/**
 * The ConsoleMe base URL from the configuration; when it is not set, an error saying where to set it and
 * where a Netflix weep configuration (which weep does not read) has to go.
 */
export function requireBaseUrl(
  config: WeepConfig,
  paths: Pick<WeepPaths, "home" | "weepConfigFile">,
): string {
  if (!config.consoleme_url) {
    throw new WeepError("consoleme_url is not set: weep does not know which ConsoleMe to ask", {
      hints: missingUrlHints(paths, Deno.build.os),
    });
  }
  return config.consoleme_url;
}

/** What connecting needs besides the configuration. */
export interface ConnectDeps {
  /** The home directory (mTLS paths), weep's config file (for the message when no URL is set), the sessions. */
  paths: Pick<WeepPaths, "home" | "weepConfigFile"> & SessionStore;
  /** Where the login says what it does, and where secrets are registered for redaction. */
  output: Output;
  /** Aborts requests and the login when the user presses Ctrl-C. */
  signal: AbortSignal;
  now: () => Date;
}

/**
 * Creates an authenticated ConsoleMe client for `config`. `method` names the command, for metadata. With
 * `interactive: false` it only uses an existing login and never opens a login page.
 */
export async function connectConsoleMe(
  deps: ConnectDeps,
  config: WeepConfig,
  method = "",
  options: { interactive?: boolean } = {},
): Promise<ConsoleMeClient> {
  const baseUrl = requireBaseUrl(config, deps.paths);
  const http: HttpDeps = {
    fetch,
    timeoutMs: config.server.http_timeout * 1000,
    signal: deps.signal,
    userAgent: USER_AGENT,
  };
  let auth: RequestAuth;
  if (config.authentication_method === "mtls") {
    const files = await findMtlsFiles(config.mtls_settings, {
      home: deps.paths.home,
      os: Deno.build.os,
      exists: fileExists,
    });
    if (config.mtls_settings.insecure) {
      deps.output.warn(
        "mtls_settings.insecure is not supported: weep always verifies ConsoleMe's certificate",
      );
    }
    http.client = await mtlsHttpClient(files);
    auth = { cookie: () => Promise.resolve(undefined), renew: () => Promise.resolve(false) };
  } else {
    auth = challengeAuth({
      baseUrl,
      http,
      configuredUser: config.challenge_settings.user,
      sessions: deps.paths,
      output: deps.output,
      open: (url) => openUrl(url, processOpenerEnv()),
      trustedOrigins: config.trusted_origins,
      now: deps.now,
      interactive: options.interactive ?? true,
      failureWindowMs: config.cache.failure_window * 1000,
    });
  }
  const metadata = config.feature_flags.consoleme_metadata
    ? { hostname: safeHostname(), weep_version: VERSION, weep_method: method }
    : undefined;
  return createClient({
    baseUrl,
    http,
    auth,
    metadata,
    oldCertMessage: config.mtls_settings.old_cert_message,
    now: deps.now,
  });
}

function safeHostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "";
  }
}
