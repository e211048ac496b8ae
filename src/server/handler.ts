/**
 * The credential server's request handler: `/healthcheck`, the browser and host guard, the ECS endpoint, and
 * (when serving a role) the IMDS emulation. A pure `(Request) => Promise<Response>`: tests call it directly.
 *
 * @module
 */

import type { CredentialQuery } from "../aws/credentials.ts";
import { authTokenChecker } from "./auth_token.ts";
import type { CredentialCache } from "./credential_cache.ts";
import { ECS_PREFIX, handleEcs } from "./ecs.ts";
import { refuseForeign } from "./filter.ts";
import { handleImds } from "./imds.ts";
import { customRoutes } from "./imds_documents.ts";
import { ImdsTokens } from "./imds_tokens.ts";
import { jsonResponse, notFound } from "./responses.ts";

/** The IMDS part of the server: present only when `serve` was given a role. */
export interface ImdsServeOptions {
  /** The role (ARN or search string) IMDS serves; the global chain and `--no-ip` apply. */
  role: string;
  /** `server.enforce_imdsv2`. */
  enforceImdsv2: boolean;
  /** `metadata.routes`. */
  routes: readonly { path: string; data: string }[];
  /** `aws.region`. */
  region: string;
  /** `Deno.build.arch`. */
  arch: string;
}

/** Everything the handler is built from. */
export interface HandlerOptions {
  /** The credential cache (over the ConsoleMe + STS source). */
  cache: CredentialCache;
  now: () => Date;
  /** The token the ECS endpoint requires in `Authorization`. */
  authToken: string;
  /** The global `--assume-role` chain. */
  assumeRoles: readonly string[];
  /** The global `--no-ip`. */
  noIp: boolean;
  /** Host names requests may be addressed to (see `allowedHostsFor`). */
  allowedHosts: readonly string[];
  /** IMDS emulation, when serving a role. */
  imds?: ImdsServeOptions | undefined;
}

/** A request handler with the query of its IMDS role (for warming the cache). */
export interface CredentialHandler {
  (request: Request): Promise<Response>;
  /** The query IMDS serves, when serving a role. */
  readonly imdsQuery: CredentialQuery | undefined;
}

/** Builds the server's request handler. */
export function createHandler(options: HandlerOptions): CredentialHandler {
  const checkToken = authTokenChecker(options.authToken);
  const ecs = { cache: options.cache, checkToken, assumeRoles: options.assumeRoles, noIp: options.noIp };
  const imdsQuery = options.imds
    ? { role: options.imds.role, assumeRoles: [...options.assumeRoles], noIp: options.noIp }
    : undefined;
  const imds = options.imds && imdsQuery
    ? {
      cache: options.cache,
      query: imdsQuery,
      tokens: new ImdsTokens(options.now),
      enforceImdsv2: options.imds.enforceImdsv2,
      routes: customRoutes(options.imds.routes),
      region: options.imds.region,
      arch: options.imds.arch,
      startedAt: options.now(),
    }
    : undefined;

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.pathname === "/healthcheck") return jsonResponse(200, { status: 200, message: "healthy" });
    const refused = refuseForeign(request, options.allowedHosts);
    if (refused) return refused;
    if (url.pathname.startsWith(ECS_PREFIX)) return await handleEcs(request, url, ecs);
    if (imds) return await handleImds(request, url, imds);
    return notFound();
  };
  return Object.assign(handler, { imdsQuery });
}
