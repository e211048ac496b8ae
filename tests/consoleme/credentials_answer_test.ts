import { checkCredentialsAnswer } from "../../src/consoleme/credentials_answer.ts";
import { assertEquals } from "../support/assert.ts";

const good = {
  AccessKeyId: "ASIA1",
  SecretAccessKey: "secret",
  SessionToken: "token",
  Expiration: 1_900_000_000,
};

Deno.test("a credentials answer: epoch seconds or an ISO 8601 timestamp, RoleArn kept, other fields dropped", () => {
  assertEquals(checkCredentialsAnswer({ Credentials: { ...good, Extra: 1 }, other: true }), good);
  for (
    const Expiration of ["2030-01-02T03:04:05Z", "2030-01-02 03:04:05.123+01:00", "2030-01-02T03:04:05 -0500"]
  ) {
    assertEquals(
      checkCredentialsAnswer({ Credentials: { ...good, Expiration, RoleArn: "arn:aws:iam::1:role/r" } }),
      {
        ...good,
        Expiration,
        RoleArn: "arn:aws:iam::1:role/r",
      },
    );
  }
});

Deno.test("a credentials answer that does not fit names where, never the value (it may be a secret)", () => {
  const where = (json: unknown) => {
    const result = checkCredentialsAnswer(json);
    return "where" in result ? `${result.where}: ${result.message}` : "ok";
  };
  assertEquals(where([]), ": Expected an object, got an array");
  assertEquals(where({ Credentials: "x" }), "Credentials: Expected an object, got a string");
  assertEquals(
    where({ Credentials: { ...good, SecretAccessKey: 5 } }),
    "Credentials.SecretAccessKey: Expected a string, got a number",
  );
  assertEquals(
    where({ Credentials: { ...good, SessionToken: "" } }),
    'Credentials.SessionToken: Expected a non-empty string, got ""',
  );
  assertEquals(
    where({ Credentials: { ...good, Expiration: Number.NaN } }),
    "Credentials.Expiration: Expected epoch seconds or an ISO 8601 timestamp, got a number",
  );
  for (const Expiration of ["tomorrow", "2030-01-02", "2030-13-02T03:04:05Z", "2030-01-02T03:04Z"]) {
    assertEquals(
      where({ Credentials: { ...good, Expiration } }),
      "Credentials.Expiration: Expected an ISO 8601 timestamp with seconds and a zone",
    );
  }
  assertEquals(
    where({ Credentials: { ...good, RoleArn: null } }),
    "Credentials.RoleArn: Expected a string, got null",
  );
});
