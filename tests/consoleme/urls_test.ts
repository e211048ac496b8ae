import {
  browserBaseUrl,
  consoleRoleUrl,
  resourceLink,
  validateResourceArn,
} from "../../src/consoleme/urls.ts";
import { UsageError } from "../../src/errors.ts";
import { assert, assertEquals, assertThrows } from "../support/assert.ts";

const PATHS = { home: "/home/u", weepConfigFile: "/home/u/.aws/weep/weep.yaml" };

Deno.test("the browser base is the override, else consoleme_url, without trailing slashes", () => {
  assertEquals(
    browserBaseUrl({ consoleme_url: "https://cm/", consoleme_open_url_override: "" }, PATHS),
    "https://cm",
  );
  assertEquals(
    browserBaseUrl({ consoleme_url: "https://api", consoleme_open_url_override: "https://ui/x//" }, PATHS),
    "https://ui/x",
  );
  assertThrows(
    () => browserBaseUrl({ consoleme_url: "", consoleme_open_url_override: "" }, PATHS),
    "consoleme_url is not set",
  );
});

Deno.test("console links keep https:// and escape each role path segment, leaving ARN characters readable", () => {
  assertEquals(
    consoleRoleUrl("https://cm.example.com", "arn:aws:iam::123456789012:role/team/app+x=y,z@w"),
    "https://cm.example.com/role/arn:aws:iam::123456789012:role/team/app+x=y,z@w",
  );
  assertEquals(consoleRoleUrl("https://cm", "a b?c#d%e"), "https://cm/role/a%20b%3Fc%23d%25e");
  assertEquals(consoleRoleUrl("https://cm", undefined), "https://cm/");
  assertEquals(consoleRoleUrl("https://cm", "caf\u00e9/(x)!"), "https://cm/role/caf%C3%A9/(x)!");
});

Deno.test("resource links join the base and ConsoleMe's path with exactly one slash", () => {
  assertEquals(resourceLink("https://cm", "/policies/edit/1/s3/b"), "https://cm/policies/edit/1/s3/b");
  assertEquals(resourceLink("https://cm/ui", "policies/edit/1/s3/b"), "https://cm/ui/policies/edit/1/s3/b");
  assertEquals(resourceLink("https://cm", "https://elsewhere/x"), "https://elsewhere/x");
});

Deno.test("ARNs need six parts and a service; SNS and SQS need a region", () => {
  validateResourceArn("arn:aws:s3:::bucket");
  validateResourceArn("arn:aws:sqs:us-east-1:123456789012:queue");
  validateResourceArn("arn:aws:iam::123456789012:role/a:b");
  for (
    const arn of [
      "arn:aws:s3::bucket",
      "aws:s3:::bucket:x",
      "arn:aws::::x",
      "arn:aws:sns::1:topic",
      "arn:aws:sqs::1:q",
    ]
  ) {
    const error = assertThrows(() => validateResourceArn(arn), `Invalid ARN "${arn}"`);
    assert(error instanceof UsageError, arn);
  }
});
