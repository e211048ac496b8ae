import { credentialKeys, planCredentialsFile, readExpiration } from "../../src/aws/credentials_file.ts";
import { assertEquals, assertStringIncludes, assertThrows } from "../support/assert.ts";

const credentials = {
  accessKeyId: "ASIAEXAMPLE",
  secretAccessKey: "secret/key+",
  sessionToken: "token==",
  expiration: new Date("2026-11-28T18:32:50Z"),
};

Deno.test("a new credentials file gets one managed profile with the keys and their expiration", () => {
  const plan = planCredentialsFile(undefined, "dev", {
    path: "/h/.aws/credentials",
    force: false,
    credentials,
  });
  assertEquals(
    plan.text,
    "[dev]\n# managed by weep: weep may rewrite or remove this profile\naws_access_key_id = ASIAEXAMPLE\n" +
      "aws_secret_access_key = secret/key+\naws_session_token = token==\nexpiration = 2026-11-28T18:32:50Z\n",
  );
  assertEquals(credentialKeys(credentials).map(([key]) => key), [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "expiration",
  ]);
});

Deno.test("a profile weep did not write is refused without --force, and the check needs no credentials", () => {
  const text = "[default]\naws_access_key_id = mine\n";
  const error = assertThrows(
    () => planCredentialsFile(text, "default", { path: "/h/.aws/credentials", force: false }),
    'Profile "default" in "/h/.aws/credentials" was not written by weep',
  );
  assertStringIncludes((error as { hints?: string[] }).hints?.join("\n") ?? "", "--force");
  const forced = planCredentialsFile(text, "default", {
    path: "/h/.aws/credentials",
    force: true,
    credentials,
  });
  assertStringIncludes(forced.text, "[default]\n# managed by weep");
});

Deno.test("expiration reads back as RFC 3339 or as Netflix weep's epoch seconds", () => {
  const written = planCredentialsFile(undefined, "dev", { path: "p", force: false, credentials }).text;
  assertEquals(readExpiration(written, "dev"), credentials.expiration);
  assertEquals(readExpiration("[dev]\nexpiration = 1717003600\n", "dev"), new Date(1717003600_000));
  assertEquals(readExpiration("[dev]\nexpiration = soon\n", "dev"), undefined);
  assertEquals(readExpiration(written, "other"), undefined);
  assertEquals(readExpiration(undefined, "dev"), undefined);
});
