/**
 * ConsoleMe's answer to `POST /api/v1/get_credentials`, checked field by field without a validation library
 * (a cache miss loads this, and nothing of the role lists' checks): `Credentials` with non-empty
 * `AccessKeyId`, `SecretAccessKey` and `SessionToken`, an `Expiration` in epoch seconds (ConsoleMe) or an ISO
 * 8601 timestamp (extended servers), and, from extended servers, `RoleArn`. Other fields are ignored.
 *
 * @module
 */

/** The credentials of an answer that passed the check. */
export interface CredentialsAnswer {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** Epoch seconds, or an ISO 8601 timestamp; checked against the clock by the caller. */
  Expiration: number | string;
  RoleArn?: string;
}

/** Where an answer is not what weep understands: the path to the value (`Credentials.SessionToken`), and what. */
export interface AnswerProblem {
  where: string;
  message: string;
}

/** A date and time with seconds and a zone (`Z` or an offset), as ISO 8601 writes it. */
const ISO_TIMESTAMP =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:[12]\d|0[1-9]|3[01])[T ](?:[01]\d|2[0-3])(?::[0-5]\d){2}(?:\.\d{1,9})?(?:Z| ?[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)$/;

/** What a value is, for a message (never the value itself: it may be a secret). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The credentials `json` holds, or the first value that does not fit. */
export function checkCredentialsAnswer(json: unknown): CredentialsAnswer | AnswerProblem {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isObject(json)) return { where: "", message: `Expected an object, got ${kindOf(json)}` };
  const c = json.Credentials;
  if (!isObject(c)) return { where: "Credentials", message: `Expected an object, got ${kindOf(c)}` };
  for (const field of ["AccessKeyId", "SecretAccessKey", "SessionToken"] as const) {
    const value = c[field];
    if (typeof value !== "string") {
      return { where: `Credentials.${field}`, message: `Expected a string, got ${kindOf(value)}` };
    }
    if (value === "") {
      return { where: `Credentials.${field}`, message: 'Expected a non-empty string, got ""' };
    }
  }
  const expiration = c.Expiration;
  if (typeof expiration === "number" ? Number.isNaN(expiration) : typeof expiration !== "string") {
    return {
      where: "Credentials.Expiration",
      message: `Expected epoch seconds or an ISO 8601 timestamp, got ${kindOf(expiration)}`,
    };
  }
  if (typeof expiration === "string" && !ISO_TIMESTAMP.test(expiration)) {
    return {
      where: "Credentials.Expiration",
      message: "Expected an ISO 8601 timestamp with seconds and a zone",
    };
  }
  if (c.RoleArn !== undefined && typeof c.RoleArn !== "string") {
    return { where: "Credentials.RoleArn", message: `Expected a string, got ${kindOf(c.RoleArn)}` };
  }
  const answer: CredentialsAnswer = {
    AccessKeyId: c.AccessKeyId as string,
    SecretAccessKey: c.SecretAccessKey as string,
    SessionToken: c.SessionToken as string,
    Expiration: expiration as number | string,
  };
  if (c.RoleArn !== undefined) answer.RoleArn = c.RoleArn as string;
  return answer;
}
