/**
 * Runs the credential server until the signal aborts: checks the input, fetches the IMDS role's credentials
 * first (failing fast), listens, prints the lines to export, keeps the IMDS role warm, and stops gracefully.
 *
 * @module
 */

import type { CredentialQuery, CredentialSource } from "../aws/credentials.ts";
import { UsageError } from "../errors.ts";
import type { Output } from "../platform/output.ts";
import { parseRoleArn } from "../aws/arn.ts";
import { generateAuthToken } from "./auth_token.ts";
import { CredentialCache } from "./credential_cache.ts";
import { allowedHostsFor } from "./filter.ts";
import { createHandler } from "./handler.ts";
import { listen, type Listener, parseListenAddress } from "./listen.ts";
import { percentEncode } from "../text/percent.ts";

/** What `weep serve` was asked to do. */
export interface ServeInput {
  /** The role to serve over IMDS too; ECS-only without it. */
  role: string | undefined;
  /** `server.address`. */
  address: string;
  /** `server.port` (0 picks a free one). */
  port: number;
  /** The global `--assume-role` chain. */
  assumeRoles: string[];
  /** The global `--no-ip`. */
  noIp: boolean;
  /** `server.enforce_imdsv2`. */
  enforceImdsv2: boolean;
  /** `metadata.routes`. */
  routes: { path: string; data: string }[];
  /** `aws.region`. */
  region: string;
  /** `cache.stale_min_remaining` in seconds. */
  staleMinRemainingSeconds: number;
}

/** What the server runs with. */
export interface ServeDeps {
  source: CredentialSource;
  output: Output;
  now: () => Date;
  /** Stops the server (Ctrl-C, SIGTERM). */
  signal: AbortSignal;
  /** `Deno.build.arch` (default). */
  arch?: string;
  /** How often the IMDS role is checked for a refresh in the background (default 60 s). */
  keepWarmMs?: number;
  /** Called once the server listens. */
  onListening?: (listener: Listener) => void;
}

/** The path of the ECS endpoint for `role`: percent-encoded, keeping the characters of ARNs readable. */
export function ecsPath(role: string): string {
  // `!'()*` are encoded too: the export line that carries the path then needs no shell quoting.
  return "/ecs/" + percentEncode(role, ":/@,=+");
}

/** The two `export` lines `serve` prints: the full URI (for `role`, else the base) and the token. */
export function endpointExports(clientUrl: string, role: string | undefined, token: string): string {
  const uri = clientUrl + (role === undefined ? "/ecs/" : ecsPath(role));
  return `export AWS_CONTAINER_CREDENTIALS_FULL_URI=${uri}\nexport AWS_CONTAINER_AUTHORIZATION_TOKEN=${token}\n`;
}

/** Serves credentials until `deps.signal` aborts; rejects when it cannot start. */
export async function runServer(input: ServeInput, deps: ServeDeps): Promise<void> {
  deps.signal.throwIfAborted();
  parseListenAddress(input.address);
  const invalid = input.assumeRoles.find((arn) => !parseRoleArn(arn));
  if (invalid !== undefined) {
    throw new UsageError(
      `Invalid role ARN "${invalid}" for --assume-role: expected arn:aws:iam::<account>:role/<name>`,
    );
  }
  const { output, now } = deps;
  const cache = new CredentialCache({
    source: deps.source,
    now,
    signal: deps.signal,
    warn: (message) => output.warn(message),
    staleMinRemainingMs: input.staleMinRemainingSeconds * 1000,
  });
  const token = generateAuthToken();
  output.redact(token);
  const handler = createHandler({
    cache,
    now,
    authToken: token,
    assumeRoles: input.assumeRoles,
    noIp: input.noIp,
    allowedHosts: allowedHostsFor(input.address),
    imds: input.role === undefined ? undefined : {
      role: input.role,
      enforceImdsv2: input.enforceImdsv2,
      routes: input.routes,
      region: input.region,
      arch: deps.arch ?? Deno.build.arch,
    },
  });

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  deps.signal.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    const logged = async (request: Request) => {
      const response = await handler(request);
      output.debug(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
      return response;
    };
    const listener = listen(logged, {
      address: input.address,
      port: input.port,
      signal: stop.signal,
      onError: (error) => output.error(`A request failed: ${error instanceof Error ? error.message : error}`),
    });
    const imdsQuery = handler.imdsQuery;
    if (imdsQuery) {
      try {
        await cache.get(imdsQuery);
      } catch (error) {
        stop.abort();
        await listener.finished;
        throw error;
      }
      timer = setInterval(() => keepWarmTick(cache, imdsQuery), deps.keepWarmMs ?? 60_000);
    }
    announceListening(listener, input, token, output);
    deps.onListening?.(listener);
    await listener.finished;
    output.info("Stopped serving credentials");
  } finally {
    clearInterval(timer);
    deps.signal.removeEventListener("abort", onAbort);
    stop.abort();
  }
}

function announceListening(listener: Listener, input: ServeInput, token: string, output: Output): void {
  output.info(`Serving credentials on ${listener.url}`);
  output.stdout(endpointExports(listener.clientUrl, input.role, token));
  if (input.role === undefined) {
    output.info(
      `Append a role to AWS_CONTAINER_CREDENTIALS_FULL_URI: ${listener.clientUrl}/ecs/<role ARN or search string>`,
    );
  } else {
    output.info(
      `IMDS serves "${input.role}": export AWS_EC2_METADATA_SERVICE_ENDPOINT=${listener.clientUrl}/`,
    );
    output.warn(
      `Every local process and user can read "${input.role}" through IMDS at ${listener.clientUrl}/; ` +
        "on a shared machine serve no role and use the token-guarded ECS route (AWS_CONTAINER_CREDENTIALS_FULL_URI)",
    );
  }
  if (!isLoopback(listener.hostname)) {
    output.warn(
      `Listening on ${listener.hostname}, which other computers may reach; AWS SDKs only accept container ` +
        "credential URIs on loopback addresses",
    );
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || /^127\./.test(hostname);
}

/**
 * One keep-warm check of the IMDS role: refreshes it when due, so SDK requests (IMDS clients wait about a
 * second) find fresh credentials. Only while the cached credentials are still servable: an entry left to
 * expire is revived by the next request, not by a login nobody asked for. Resolves when done; never rejects.
 */
export async function keepWarmTick(cache: CredentialCache, query: CredentialQuery): Promise<void> {
  if (!cache.peek(query)) return;
  try {
    await cache.get(query);
  } catch {
    // The cache has logged it; the next request or tick tries again.
  }
}
