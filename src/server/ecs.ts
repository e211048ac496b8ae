/**
 * The ECS container credential endpoint: `GET /ecs/<role>` with the server's token in `Authorization`, the
 * credential JSON the AWS SDKs read through `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
 *
 * @module
 */

import { type AwsCredentials, type CredentialQuery, formatExpiration } from "../aws/credentials.ts";
import { errorText, WeepError } from "../errors.ts";
import { parseRoleArn } from "../aws/arn.ts";
import type { CredentialCache } from "./credential_cache.ts";
import { isRead, jsonResponse, methodNotAllowed, textResponse } from "./responses.ts";

/** The path prefix of the ECS endpoint. */
export const ECS_PREFIX = "/ecs/";

/** What the ECS handler needs. */
export interface EcsOptions {
  cache: CredentialCache;
  /** Resolves true for the server's token (constant time). */
  checkToken: (given: string) => Promise<boolean>;
  /** The global `--assume-role` chain, applied before any `?assume=`. */
  assumeRoles: readonly string[];
  /** The global `--no-ip`. */
  noIp: boolean;
}

/** The ECS credential JSON: `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`, `RoleArn`. */
export function ecsCredentialsJson(
  credentials: AwsCredentials,
  requestedRole: string,
): Record<string, string> {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Expiration: formatExpiration(credentials.expiration),
    RoleArn: credentials.roleArn ?? requestedRole,
  };
}

/**
 * The role ARNs of `?assume=` (repeatable, comma-separated), or the first value that is not a role ARN.
 */
export function assumeQuery(url: URL): { arns: string[] } | { invalid: string } {
  const arns = url.searchParams.getAll("assume").flatMap((value) => value.split(","))
    .map((arn) => arn.trim()).filter((arn) => arn !== "");
  const invalid = arns.find((arn) => !parseRoleArn(arn));
  return invalid === undefined ? { arns } : { invalid };
}

/** Handles a request whose path starts with {@linkcode ECS_PREFIX}. */
export async function handleEcs(request: Request, url: URL, options: EcsOptions): Promise<Response> {
  const given = request.headers.get("authorization");
  if (given === null || given === "") {
    return textResponse(401, "Unauthorized: send the token weep serve printed in the Authorization header");
  }
  if (!await options.checkToken(given)) {
    return textResponse(403, "Forbidden: wrong authorization token; use the one weep serve printed");
  }
  if (!isRead(request)) return methodNotAllowed(["GET", "HEAD"]);
  let role: string;
  try {
    role = decodeURIComponent(url.pathname.slice(ECS_PREFIX.length));
  } catch {
    return textResponse(400, "Bad request: the role in the path is not valid percent-encoding");
  }
  if (role === "") {
    return textResponse(400, "Bad request: no role in the path; use /ecs/<role ARN or search string>");
  }
  const assume = assumeQuery(url);
  if ("invalid" in assume) {
    return textResponse(
      400,
      `Bad request: invalid role ARN in the assume query string: "${assume.invalid}"; ` +
        "expected arn:aws:iam::<account>:role/<name>",
    );
  }
  const query: CredentialQuery = {
    role,
    assumeRoles: [...options.assumeRoles, ...assume.arns],
    noIp: options.noIp,
  };
  try {
    const { credentials } = await options.cache.get(query);
    return jsonResponse(200, ecsCredentialsJson(credentials, role));
  } catch (error) {
    return credentialError(error);
  }
}

/** The 502 response for a failed credential fetch: the error message and its hints, as plain text. */
export function credentialError(error: unknown): Response {
  const hints = error instanceof WeepError ? error.hints : [];
  return textResponse(502, [errorText(error), ...hints].join("\n") + "\n");
}
