/**
 * The EC2 instance metadata service (IMDS) emulation for one role: IMDSv2 tokens, the credential paths the
 * AWS SDKs read (`iam/security-credentials/<name>`), `iam/info`, the instance identity document, placement,
 * and the extra paths of `metadata.routes`, under any version segment (`/latest/...`, `/2009-04-04/...`).
 *
 * @module
 */

import type { CredentialQuery } from "../aws/credentials.ts";
import { imdsRoleName, parseRoleArn, type RoleArn } from "../aws/arn.ts";
import type { CredentialCache } from "./credential_cache.ts";
import { credentialError } from "./ecs.ts";
import { iamInfoJson, identityDocument, imdsCredentialsJson, listing } from "./imds_documents.ts";
import { type ImdsTokens, MAX_TOKEN_TTL_SECONDS, parseTokenTtl } from "./imds_tokens.ts";
import { isRead, jsonResponse, methodNotAllowed, notFound, textResponse } from "./responses.ts";

/** The request header that carries an IMDSv2 token. */
export const TOKEN_HEADER = "x-aws-ec2-metadata-token";
/** The request (and response) header with a token's lifetime in seconds. */
export const TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds";

/** What the IMDS handler needs. */
export interface ImdsOptions {
  cache: CredentialCache;
  /** The served role and its chain, as the cache is asked for it. */
  query: CredentialQuery;
  tokens: ImdsTokens;
  /** `server.enforce_imdsv2`: refuse data requests without a token. */
  enforceImdsv2: boolean;
  /** `metadata.routes`, normalised with `customRoutes`. */
  routes: Map<string, string>;
  /** `aws.region`. */
  region: string;
  /** `Deno.build.arch`. */
  arch: string;
  /** When the server started (`pendingTime`). */
  startedAt: Date;
}

const CREDENTIALS_DIR = "meta-data/iam/security-credentials/";

/** Handles `/<version>/...`; any other path is 404. */
export async function handleImds(request: Request, url: URL, options: ImdsOptions): Promise<Response> {
  const match = /^\/([^/]+)\/(.*)$/.exec(url.pathname);
  if (!match) return notFound();
  const rest = match[2] ?? "";
  if (rest === "api/token") return issueToken(request, options.tokens);
  if (!isRead(request)) return methodNotAllowed(["GET", "HEAD"]);
  const header = request.headers.get(TOKEN_HEADER);
  let ttl: number | undefined;
  if (header !== null) {
    ttl = options.tokens.remainingSeconds(header);
    if (ttl === undefined) return textResponse(401, "Unauthorized: the IMDSv2 token is unknown or expired");
  } else if (options.enforceImdsv2) {
    return textResponse(
      401,
      "Unauthorized: IMDSv2 is required; get a token with PUT /latest/api/token first",
    );
  }
  const response = await route(rest, options);
  if (ttl !== undefined) response.headers.set(TTL_HEADER, String(ttl));
  return response;
}

function issueToken(request: Request, tokens: ImdsTokens): Response {
  if (request.method !== "PUT") return methodNotAllowed(["PUT"]);
  const ttl = parseTokenTtl(request.headers.get(TTL_HEADER));
  if (ttl === undefined) {
    return textResponse(
      400,
      `Bad request: the ${TTL_HEADER} header must be an integer from 1 to ${MAX_TOKEN_TTL_SECONDS}`,
    );
  }
  return textResponse(200, tokens.issue(ttl), { [TTL_HEADER]: String(ttl) });
}

async function route(rest: string, options: ImdsOptions): Promise<Response> {
  const path = rest.replace(/\/$/, "");
  const text = (body: string) => textResponse(200, body);
  switch (path) {
    case "":
      return text(listing(["dynamic", "meta-data"], options.routes, ""));
    case "meta-data":
      return text(listing(["iam/", "placement/"], options.routes, "meta-data/"));
    case "meta-data/iam":
      return text("info\nsecurity-credentials/");
    case "meta-data/iam/security-credentials":
      return await credentialsListing(options);
    case "meta-data/iam/info":
      return iamInfo(options);
    case "meta-data/placement":
      return text(listing(["availability-zone", "region"], options.routes, "meta-data/placement/"));
    case "meta-data/placement/region":
      return text(options.region);
    case "meta-data/placement/availability-zone":
      return text(`${options.region}a`);
    case "dynamic":
      return text("instance-identity/");
    case "dynamic/instance-identity":
      return text("document");
    case "dynamic/instance-identity/document":
      return textResponse(200, JSON.stringify(identityDocument(identityInputs(options)), null, 2), {
        "content-type": "application/json",
      });
  }
  if (path.startsWith(CREDENTIALS_DIR)) {
    return await roleCredentials(path.slice(CREDENTIALS_DIR.length), options);
  }
  const data = options.routes.get(rest) ?? options.routes.get(path);
  return data === undefined ? notFound() : text(data);
}

/** The served role as an ARN: the one the credentials say (the end of a chain) or the role as given. */
function servedRole(options: ImdsOptions): RoleArn | undefined {
  const resolved = options.cache.peek(options.query)?.credentials.roleArn;
  return parseRoleArn(resolved ?? "") ?? parseRoleArn(options.query.role);
}

async function credentialsListing(options: ImdsOptions): Promise<Response> {
  try {
    const { credentials } = await options.cache.get(options.query);
    return textResponse(200, imdsRoleName(credentials.roleArn ?? options.query.role));
  } catch (error) {
    return credentialError(error);
  }
}

async function roleCredentials(name: string, options: ImdsOptions): Promise<Response> {
  try {
    const cached = await options.cache.get(options.query);
    const served = imdsRoleName(cached.credentials.roleArn ?? options.query.role);
    if (name !== served) return notFound(`Not found: this server serves the role "${served}" only`);
    return jsonResponse(200, imdsCredentialsJson(cached));
  } catch (error) {
    return credentialError(error);
  }
}

function iamInfo(options: ImdsOptions): Response {
  const role = servedRole(options);
  if (!role) {
    return notFound(
      `Not found: the served role "${options.query.role}" is not an ARN, so it has no instance profile`,
    );
  }
  const lastUpdated = options.cache.peek(options.query)?.fetchedAt ?? options.startedAt;
  return jsonResponse(200, iamInfoJson(role, lastUpdated));
}

function identityInputs(options: ImdsOptions) {
  return {
    role: servedRole(options),
    region: options.region,
    arch: options.arch,
    startedAt: options.startedAt,
  };
}
