/**
 * A small STS client (query API, SigV4-signed POST, XML answers): `AssumeRole`, `GetCallerIdentity`, the
 * `--assume-role` chain, and how the endpoint is chosen. No AWS SDK.
 *
 * @module
 */

import type { AwsCredentials } from "../credentials.ts";
import type { SigningCredentials } from "./sigv4.ts";
import { defaultStsEndpoint, resolveStsEndpoint } from "./sts_endpoint.ts";
import { callSts, malformed, type StsDeps, type StsTarget } from "./sts_query.ts";
import { textAt } from "./xml.ts";
import { errorText, InterruptedError, UsageError } from "../../errors.ts";
import { parseRoleArn } from "../arn.ts";

export { defaultStsEndpoint, resolveStsEndpoint };
export {
  DEFAULT_STS_TIMEOUT_MS,
  type FetchFn,
  type StsDeps,
  type StsLog,
  type StsTarget,
} from "./sts_query.ts";

/** Options of {@linkcode assumeRole}. */
export interface AssumeRoleOptions extends StsTarget {
  roleArn: string;
  sessionName: string;
  /** Default 3600. */
  durationSeconds?: number | undefined;
}

/** Credentials from `AssumeRole`. */
export interface AssumedRoleCredentials extends AwsCredentials {
  /** The role that was asked for. */
  roleArn: string;
  /** The session's own ARN: `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  assumedRoleArn: string;
}

/** The answer of `GetCallerIdentity`. */
export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

/** Calls `AssumeRole` with `credentials` and returns the role's temporary credentials. */
export async function assumeRole(
  credentials: SigningCredentials,
  options: AssumeRoleOptions,
  deps: StsDeps,
): Promise<AssumedRoleCredentials> {
  const failure = `Cannot assume role "${options.roleArn}"`;
  const result = await callSts(
    "AssumeRole",
    {
      RoleArn: options.roleArn,
      RoleSessionName: options.sessionName,
      DurationSeconds: String(options.durationSeconds ?? 3600),
    },
    credentials,
    options,
    deps,
    failure,
  );
  const accessKeyId = textAt(result, "Credentials", "AccessKeyId");
  const secretAccessKey = textAt(result, "Credentials", "SecretAccessKey");
  const sessionToken = textAt(result, "Credentials", "SessionToken");
  const expiration = new Date(textAt(result, "Credentials", "Expiration") ?? "");
  const assumedRoleArn = textAt(result, "AssumedRoleUser", "Arn");
  if (!accessKeyId || !secretAccessKey || !sessionToken || isNaN(expiration.getTime()) || !assumedRoleArn) {
    throw malformed(failure, options);
  }
  return { accessKeyId, secretAccessKey, sessionToken, expiration, roleArn: options.roleArn, assumedRoleArn };
}

/** Calls `GetCallerIdentity`: who `credentials` belong to. */
export async function getCallerIdentity(
  credentials: SigningCredentials,
  target: StsTarget,
  deps: StsDeps,
): Promise<CallerIdentity> {
  const failure = "Cannot get the caller identity from STS";
  const result = await callSts("GetCallerIdentity", {}, credentials, target, deps, failure);
  const account = textAt(result, "Account");
  const arn = textAt(result, "Arn");
  const userId = textAt(result, "UserId");
  if (!account || !arn || !userId) throw malformed(failure, target);
  return { account, arn, userId };
}

/** Options of {@linkcode assumeRoleChain}. */
export interface AssumeRoleChainOptions {
  /** Region for signing and the default endpoint (config `aws.region` or `--region`). */
  region: string;
  /** Environment lookup, for `AWS_ENDPOINT_URL_STS` and `AWS_ENDPOINT_URL`. */
  env: (name: string) => string | undefined;
}

/** Throws a usage error unless `arn` is an IAM role ARN (`arn:<partition>:iam::<account>:role/<name>`). */
export function validateRoleArn(arn: string): void {
  if (!parseRoleArn(arn)) {
    throw new UsageError(
      `Invalid role ARN "${arn}" for --assume-role: expected arn:aws:iam::<account>:role/<name>`,
      { hints: ["Pass the full ARN of the role to assume, e.g. arn:aws:iam::123456789012:role/deployer"] },
    );
  }
}

/**
 * A role session name from a `GetCallerIdentity` `UserId` (`AROA...:alice@example.com` gives
 * `alice@example.com`): characters STS refuses become `-`, at most 64; `undefined` when there is no `:` part.
 */
export function sessionNameFromUserId(userId: string): string | undefined {
  const index = userId.indexOf(":");
  if (index < 0) return undefined;
  const name = userId.slice(index + 1).replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
  return name.length >= 2 ? name : undefined;
}

/**
 * Assumes each role of `arns` in order, each with the credentials of the one before (`--assume-role`). The
 * session name is the caller's own (from `GetCallerIdentity`, falling back to `weep`), the duration one hour.
 * The result carries the last role's ARN and its own expiration. Every ARN is checked before any call.
 */
export async function assumeRoleChain(
  initial: AwsCredentials,
  arns: string[],
  options: AssumeRoleChainOptions,
  deps: StsDeps,
): Promise<AwsCredentials> {
  for (const arn of arns) validateRoleArn(arn);
  if (arns.length === 0) return initial;
  const target = { region: options.region, endpoint: resolveStsEndpoint(options.region, options.env) };
  let current: AwsCredentials = initial;
  for (const roleArn of arns) {
    const sessionName = await chainSessionName(current, target, deps);
    deps.log?.(`Assuming role "${roleArn}" as session "${sessionName}"`, "debug");
    current = await assumeRole(current, { ...target, roleArn, sessionName, durationSeconds: 3600 }, deps);
  }
  return current;
}

async function chainSessionName(
  credentials: AwsCredentials,
  target: StsTarget,
  deps: StsDeps,
): Promise<string> {
  try {
    const identity = await getCallerIdentity(credentials, target, deps);
    const name = sessionNameFromUserId(identity.userId);
    if (name) return name;
    deps.log?.(
      `Caller "${identity.arn}" has no session name; using "weep" as the role session name`,
      "debug",
    );
  } catch (error) {
    if (deps.signal?.aborted || error instanceof InterruptedError) throw error;
    deps.log?.(`Cannot find the caller's session name, using "weep": ${errorText(error)}`, "warn");
  }
  return "weep";
}
