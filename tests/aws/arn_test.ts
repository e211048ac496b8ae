import { assertEquals } from "../support/assert.ts";
import { imdsRoleName, instanceProfileArn, parseRoleArn } from "../../src/aws/arn.ts";

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
