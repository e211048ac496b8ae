/**
 * ConsoleMe's answer to `POST /api/v1/get_credentials`, checked field by field without a validation library
 * (a cache miss loads this, and nothing of the role lists' checks): `Credentials` with non-empty
 * `AccessKeyId`, `SecretAccessKey` and `SessionToken`, an `Expiration` in epoch seconds (ConsoleMe) or an ISO
 * 8601 timestamp (extended servers), and, from extended servers, `RoleArn`. Other fields are ignored.
 *
 * @module
 */

import { type AnswerProblem, checked, kindOf, Misfit, object, text } from "./answer_check.ts";

/** The credentials of an answer that passed the check. */
export interface CredentialsAnswer {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  /** Epoch seconds, or an ISO 8601 timestamp; checked against the clock by the caller. */
  Expiration: number | string;
  RoleArn?: string;
}

/** A date and time with seconds and a zone (`Z` or an offset), as ISO 8601 writes it. */
const ISO_TIMESTAMP =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:[12]\d|0[1-9]|3[01])[T ](?:[01]\d|2[0-3])(?::[0-5]\d){2}(?:\.\d{1,9})?(?:Z| ?[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)$/;

/** The credentials `json` holds, or the first value that does not fit. */
export function checkCredentialsAnswer(json: unknown): CredentialsAnswer | AnswerProblem {
  return checked(json, (json) => {
    const c = object(object(json, "").Credentials, "Credentials");
    const secret = (field: "AccessKeyId" | "SecretAccessKey" | "SessionToken") => {
      const value = text(c[field], `Credentials.${field}`);
      if (value === "") throw new Misfit(`Credentials.${field}`, 'Expected a non-empty string, got ""');
      return value;
    };
    const answer: CredentialsAnswer = {
      AccessKeyId: secret("AccessKeyId"),
      SecretAccessKey: secret("SecretAccessKey"),
      SessionToken: secret("SessionToken"),
      Expiration: expirationOf(c.Expiration),
    };
    if (c.RoleArn !== undefined) answer.RoleArn = text(c.RoleArn, "Credentials.RoleArn");
    return answer;
  });
}

function expirationOf(value: unknown): number | string {
  if (typeof value === "number" && !Number.isNaN(value)) return value;
  if (typeof value !== "string") {
    throw new Misfit(
      "Credentials.Expiration",
      `Expected epoch seconds or an ISO 8601 timestamp, got ${kindOf(value)}`,
    );
  }
  if (!ISO_TIMESTAMP.test(value)) {
    throw new Misfit("Credentials.Expiration", "Expected an ISO 8601 timestamp with seconds and a zone");
  }
  return value;
}
