import { assertEquals } from "../support/assert.ts";
import {
  imdsRoleName,
  instanceProfileArn,
  parseArn,
  parseRoleArn,
  principalOf,
  roleNameOf,
} from "../../src/aws/arn.ts";

Deno.test("parseRoleArn reads partition, account, path and name", () => {
  assertEquals(parseRoleArn("arn:aws:iam::123456789012:role/app_role"), {
    arn: "arn:aws:iam::123456789012:role/app_role",
    partition: "aws",
    accountId: "123456789012",
    path: "/",
    name: "app_role",
  });
  const nested = parseRoleArn("arn:aws-us-gov:iam::123456789012:role/team/ops/deploy+bot");
  assertEquals([nested?.partition, nested?.path, nested?.name], ["aws-us-gov", "/team/ops/", "deploy+bot"]);
});

Deno.test("parseRoleArn refuses what is not an IAM role ARN", () => {
  for (
    const text of [
      "app_role",
      "arn:aws:iam::12345:role/x",
      "arn:aws:s3:::bucket",
      "arn:aws:iam::123456789012:user/alice",
      "arn:aws:sts::123456789012:assumed-role/app/session",
      "arn:aws:iam::123456789012:role/",
      "arn:aws:iam::123456789012:role/has space",
    ]
  ) {
    assertEquals(parseRoleArn(text), undefined, text);
  }
});

Deno.test("instanceProfileArn keeps the partition, account and IAM path", () => {
  const role = parseRoleArn("arn:aws-cn:iam::123456789012:role/team/app")!;
  assertEquals(instanceProfileArn(role), "arn:aws-cn:iam::123456789012:instance-profile/team/app");
});

Deno.test("imdsRoleName is the role name of an ARN, else a safe last segment of the search string", () => {
  assertEquals(imdsRoleName("arn:aws:iam::123456789012:role/team/app_role"), "app_role");
  assertEquals(imdsRoleName("app_role"), "app_role");
  assertEquals(imdsRoleName("prod/app role?"), "app-role-");
  assertEquals(imdsRoleName("///"), "weep");
});

Deno.test("parseArn splits six parts, the resource keeping its colons; anything else is no ARN", () => {
  assertEquals(parseArn("arn:aws:sqs:us-east-1:123456789012:queue"), {
    arn: "arn:aws:sqs:us-east-1:123456789012:queue",
    partition: "aws",
    service: "sqs",
    region: "us-east-1",
    accountId: "123456789012",
    resource: "queue",
  });
  assertEquals(parseArn("arn:aws:s3:::bucket")?.resource, "bucket");
  assertEquals(parseArn("arn:aws:logs:us-east-1:1:log-group:a:b")?.resource, "log-group:a:b");
  for (const text of ["", "garbage", "arn:aws:s3::bucket", "ARN:aws:s3:::bucket", "urn:aws:s3:::b"]) {
    assertEquals(parseArn(text), undefined, text);
  }
});

Deno.test("roleNameOf: the role name with its IAM path, another ARN's resource, or the text itself", () => {
  assertEquals(roleNameOf("arn:aws:iam::012345678902:role/team/deployer"), "team/deployer");
  assertEquals(roleNameOf("arn:aws:iam::012345678902:user/alice"), "user/alice");
  assertEquals(roleNameOf("odd"), "odd");
});

Deno.test("caller ARNs are read without crashing, the root user's included", () => {
  assertEquals(principalOf("arn:aws:sts::123456789012:assumed-role/team/app/alice@example.com"), {
    type: "assumed-role",
    name: "team/app",
    session: "alice@example.com",
  });
  assertEquals(principalOf("arn:aws:iam::123456789012:user/ops/bob"), { type: "user", name: "bob" });
  assertEquals(principalOf("arn:aws:iam::123456789012:root"), { type: "root", name: "root" });
  assertEquals(principalOf("garbage"), { type: "garbage", name: "garbage" });
});
