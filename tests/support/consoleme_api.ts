/**
 * The authenticated endpoints of the test ConsoleMe that answer from its role state: credentials, the role
 * lists and the browser's console login.
 *
 * @module
 */

import { TEST_SECRETS } from "./cli.ts";
import {
  invalidJsonMessage,
  type MintedKeys,
  type Minter,
  validateCredentialBody,
} from "./consoleme_credentials.ts";
import { type ArmedFault, codeResponse, faultyExpiration, isExpiryFault } from "./consoleme_faults.ts";
import { problem, requestId, tornadoJson, ujsonResponse, webResponse } from "./consoleme_json.ts";
import {
  accountIdOf,
  type AppDetail,
  eligibleRoles,
  matchRoles,
  roleNameOf,
  type TestRole,
  v2Role,
} from "./consoleme_roles.ts";

/** Settings of the credential endpoint that tests may change while the server runs. */
export interface CredentialSettings {
  /** STS `DurationSeconds` (ConsoleMe `aws.session_duration`, default 3600). */
  sessionDuration: number;
  /** When set, `Expiration` is now + this many seconds, whatever STS said (short-lived credentials). */
  expireIn: number | undefined;
  /** `integer` (ConsoleMe) or `iso` (a string; Netflix weep fails on it). */
  expirationFormat: "integer" | "iso";
  /** `deny`: stock OSS without a Duo Lambda, so `no_ip_restrictions: true` gets 902; `approve`: MFA passes. */
  mfa: "approve" | "deny";
  /** A customized server that accepts the `metadata` key (OSS rejects it with 904). */
  acceptMetadata: boolean;
  /** An extended server that adds `Credentials.RoleArn`. */
  includeRoleArn: boolean;
}

/** Credentials the server handed out. `accessKeyId` is a test secret: never print it. */
export interface MintRecord {
  roleArn: string;
  user: string;
  sessionName: string;
  accessKeyId: string;
  /** Epoch seconds. */
  expiration: number;
}

/** What the endpoints read and write. */
export interface ApiState {
  settings: CredentialSettings;
  roles: readonly TestRole[];
  accounts: Readonly<Record<string, string>>;
  apps: readonly AppDetail[];
  minter: Minter;
  minted: MintRecord[];
  nowMs: () => number;
}

function isoSeconds(epochSeconds: number): string {
  // Python's datetime.isoformat() for an aware UTC time.
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** `POST /api/v1/get_credentials` for an authenticated `user`, with an armed code fault if any. */
export async function credentialsResponse(
  state: ApiState,
  user: string,
  text: string,
  fault: ArmedFault | undefined,
): Promise<Response> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (!fault) return problem(500);
  }
  const loose = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const query = typeof loose.requested_role === "string" ? loose.requested_role : "";
  const consoleOnly = loose.console_only === true;
  const eligible = eligibleRoles(state.roles, user, consoleOnly).map((role) => role.arn);
  const matches = query ? matchRoles(eligible, query) : [];
  const expiryFault = isExpiryFault(fault) ? fault : undefined;
  if (fault && !expiryFault) return codeResponse(fault, { requestedRole: query, matches, eligible });

  const checked = validateCredentialBody(parsed, state.settings.acceptMetadata);
  if (!checked.ok) {
    return tornadoJson(400, {
      code: "904",
      message: invalidJsonMessage(checked.errors),
      request_id: requestId(),
    });
  }
  const body = checked.value;
  const base = { requested_role: query || undefined, request_id: requestId() };
  if (body.user_role || body.app_name) {
    const account = body.account;
    const known = account !== undefined &&
      (account in state.accounts || Object.values(state.accounts).includes(account));
    if (account !== undefined && !known) {
      return tornadoJson(400, { code: "906", message: "No matching account." });
    }
    // The OSS plugins know no user roles or applications.
    return tornadoJson(403, { code: "900", message: "No matching roles", ...base });
  }
  if (matches.length === 0) return tornadoJson(403, { code: "900", message: "No matching roles", ...base });
  if (matches.length > 1) {
    return tornadoJson(403, {
      code: "901",
      message: "More than one matching role",
      ...base,
      "matching roles": matches,
    });
  }
  const roleArn = matches[0] as string;
  if (body.no_ip_restrictions && state.settings.mfa !== "approve") {
    return tornadoJson(403, { code: "902", message: "MFA Not Successful", ...base });
  }
  const sessionName = user.toLowerCase();
  let keys: MintedKeys;
  try {
    keys = await state.minter(roleArn, sessionName, state.settings.sessionDuration);
  } catch (error) {
    return tornadoJson(403, {
      code: "902",
      message: "Unable to get credentials.",
      ...base,
      matching_role: roleArn,
      exception: error instanceof Error ? error.message : String(error),
    });
  }
  for (const secret of [keys.AccessKeyId, keys.SecretAccessKey, keys.SessionToken]) TEST_SECRETS.add(secret);
  const nowSeconds = Math.floor(state.nowMs() / 1000);
  const expiration = expiryFault
    ? faultyExpiration(expiryFault, nowSeconds)
    : nowSeconds + (state.settings.expireIn ?? state.settings.sessionDuration);
  state.minted.push({ roleArn, user, sessionName, accessKeyId: keys.AccessKeyId, expiration });
  const credentials: Record<string, unknown> = {
    ...keys,
    Expiration: state.settings.expirationFormat === "iso" ? isoSeconds(expiration) : expiration,
  };
  if (state.settings.includeRoleArn) credentials.RoleArn = roleArn;
  return ujsonResponse(200, { Credentials: credentials });
}

function consoleOnlyFlag(params: URLSearchParams): boolean {
  // Only the single value `all=true` means "CLI-only roles too".
  const all = params.getAll("all");
  return !(all.length === 1 && all[0] === "true");
}

/** `GET /api/v1/get_roles`: a sorted ujson array of ARNs. */
export function rolesV1Response(state: ApiState, user: string, params: URLSearchParams): Response {
  return ujsonResponse(
    200,
    eligibleRoles(state.roles, user, consoleOnlyFlag(params)).map((role) => role.arn),
  );
}

/** `GET /api/v2/get_roles`: the WebResponse envelope with `data.roles`. */
export function rolesV2Response(state: ApiState, user: string, params: URLSearchParams): Response {
  const roles = eligibleRoles(state.roles, user, consoleOnlyFlag(params))
    .map((role) => v2Role(role, state.accounts, state.apps));
  return webResponse(200, { status: "success", status_code: 200, data: { roles } });
}

/** `GET /api/v2/role_login/<role>` (browser): the console sign-in redirect, or why there is none. */
export function roleLoginResponse(
  state: ApiState,
  user: string,
  role: string,
  params: URLSearchParams,
): Response {
  const query = role.toLowerCase();
  const eligible = eligibleRoles(state.roles, user, true).map((r) => r.arn);
  const matches = matchRoles(eligible, query);
  if (matches.length === 0) {
    return tornadoJson(404, {
      type: "error",
      message: "You do not have any roles matching your search criteria. ",
    });
  }
  if (matches.length > 1) {
    const message = "You have more than one role matching your query. Please select one.";
    return tornadoJson(200, {
      type: "redirect",
      message,
      reason: "multiple_roles",
      redirect_url: `/?arn=${encodeURIComponent(query)}&warningMessage=${btoa(message)}`,
    });
  }
  const arn = matches[0] as string;
  const region = params.get("r") ?? "us-east-1";
  const destination = params.get("redirect") ??
    `https://console.aws.amazon.com/console/home?region=${region}`;
  const signin = new URL("https://signin.aws.amazon.com/federation");
  signin.search = new URLSearchParams({
    Action: "login",
    Issuer: "ConsoleMe",
    Destination: destination,
    SigninToken: `test-signin-${accountIdOf(arn)}-${roleNameOf(arn).replaceAll("/", "-")}`,
    SessionDuration: String(state.settings.sessionDuration),
  }).toString();
  return tornadoJson(200, {
    type: "redirect",
    redirect_url: signin.toString(),
    reason: "console_login",
    role: arn,
  });
}
