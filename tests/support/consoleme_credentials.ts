/**
 * The credential side of the test ConsoleMe: the strict request schema (marshmallow-style errors, code 904)
 * and minting credentials, through moto's STS `AssumeRole` or locally.
 *
 * @module
 */

/** A validated `POST /api/v1/get_credentials` body. */
export interface CredentialBody {
  requested_role?: string;
  user_role: boolean;
  account?: string;
  app_name?: string;
  console_only: boolean;
  no_ip_restrictions: boolean;
  custom_ip_restrictions?: string[];
  metadata?: Record<string, unknown>;
}

/** Marshmallow's error dict: field -> messages (`_schema` for whole-body errors). */
export type SchemaErrors = Record<string, unknown>;

const TRUTHY = new Set([
  "t",
  "T",
  "true",
  "True",
  "TRUE",
  "on",
  "On",
  "ON",
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "1",
  1,
]);
const FALSY = new Set([
  "f",
  "F",
  "false",
  "False",
  "FALSE",
  "off",
  "Off",
  "OFF",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "0",
  0,
]);

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (TRUTHY.has(value as string)) return true;
  if (FALSY.has(value as string)) return false;
  return undefined;
}

/**
 * Validates a parsed body like ConsoleMe's marshmallow schema: unknown keys (such as `metadata`, unless
 * `acceptMetadata`) and wrong types are errors, and one of `requested_role`, `user_role`, `app_name` is needed.
 */
export function validateCredentialBody(
  body: unknown,
  acceptMetadata: boolean,
): { ok: true; value: CredentialBody } | { ok: false; errors: SchemaErrors } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, errors: { _schema: ["Invalid input type."] } };
  }
  const errors: SchemaErrors = {};
  const value: CredentialBody = { user_role: false, console_only: false, no_ip_restrictions: false };
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (raw === null && key !== "metadata") {
      errors[key] = ["Field may not be null."];
      continue;
    }
    switch (key) {
      case "requested_role":
      case "account":
      case "app_name":
        if (typeof raw === "string") value[key] = raw;
        else errors[key] = ["Not a valid string."];
        break;
      case "user_role":
      case "console_only":
      case "no_ip_restrictions": {
        const flag = toBoolean(raw);
        if (flag === undefined) errors[key] = ["Not a valid boolean."];
        else value[key] = flag;
        break;
      }
      case "custom_ip_restrictions":
        if (!Array.isArray(raw)) errors[key] = ["Not a valid list."];
        else if (raw.some((item) => typeof item !== "string")) {
          errors[key] = Object.fromEntries(
            raw.flatMap((
              item,
              i,
            ) => (typeof item === "string" ? [] : [[String(i), ["Not a valid string."]]])),
          );
        } else value.custom_ip_restrictions = raw;
        break;
      case "metadata":
        if (!acceptMetadata) errors[key] = ["Unknown field."];
        else if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
          value.metadata = raw as Record<string, unknown>;
        } else errors[key] = ["Not a valid mapping type."];
        break;
      default:
        errors[key] = ["Unknown field."];
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // Schema-level checks run only when every field is valid (marshmallow's skip_on_field_errors).
  if (!value.requested_role && !value.user_role && !value.app_name) {
    return {
      ok: false,
      errors: { _schema: ["Must supply either a requested role, user role, or app name."] },
    };
  }
  if (value.requested_role && (value.user_role || value.app_name)) {
    return {
      ok: false,
      errors: { _schema: ["Must supply only one of a requested role, user role, or app name."] },
    };
  }
  if (value.user_role && !value.account) {
    return { ok: false, errors: { _schema: ["An account must be supplied with a user role."] } };
  }
  return { ok: true, value };
}

/** The 904 message: `Invalid JSON sent to the server:\n` and the errors as 2-space-indented JSON. */
export function invalidJsonMessage(errors: SchemaErrors): string {
  return `Invalid JSON sent to the server:\n${JSON.stringify(errors, null, 2)}`;
}

/** Temporary credentials as STS returns them. */
export interface MintedKeys {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
}

/** Mints credentials for a role; rejects with an STS-style error text. */
export type Minter = (roleArn: string, sessionName: string, durationSeconds: number) => Promise<MintedKeys>;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function randomFrom(alphabet: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** Local credentials that look like STS ones; every secret key contains a `/` (to exercise `\/`). */
export const localMinter: Minter = (): Promise<MintedKeys> =>
  Promise.resolve({
    AccessKeyId: `ASIA${randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`,
    SecretAccessKey: `${randomFrom(B64, 20)}/${randomFrom(B64, 19)}`,
    SessionToken: `FwoGZXIvYXdzEL${randomFrom(B64, 300)}`,
  });

function xmlValue(xml: string, tag: string): string | undefined {
  return xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1];
}

/**
 * Mints through moto's STS at `stsUrl` with `AssumeRole`. moto does not check signatures, but it routes a
 * request to STS by the service in the `Authorization` credential scope, so a dummy SigV4 header is sent.
 */
export function motoMinter(stsUrl: string, fetcher: typeof fetch = fetch): Minter {
  return async (roleArn, sessionName, durationSeconds) => {
    const form = new URLSearchParams({
      Action: "AssumeRole",
      Version: "2011-06-15",
      RoleArn: roleArn,
      RoleSessionName: sessionName,
      DurationSeconds: String(Math.min(43200, Math.max(900, Math.round(durationSeconds)))),
    });
    const response = await fetcher(stsUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/sts/aws4_request, " +
          "SignedHeaders=content-type;host, Signature=0000",
      },
      body: form.toString(),
    });
    const xml = await response.text();
    const keys = {
      AccessKeyId: xmlValue(xml, "AccessKeyId"),
      SecretAccessKey: xmlValue(xml, "SecretAccessKey"),
      SessionToken: xmlValue(xml, "SessionToken"),
    };
    if (!response.ok || !keys.AccessKeyId || !keys.SecretAccessKey || !keys.SessionToken) {
      const code = xmlValue(xml, "Code") ?? `HTTP ${response.status}`;
      const message = xmlValue(xml, "Message") ?? "unexpected response";
      throw new Error(`An error occurred (${code}) when calling the AssumeRole operation: ${message}`);
    }
    return keys as MintedKeys;
  };
}
