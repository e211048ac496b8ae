import { resolveCredentialChain, resolveRegion } from "../../src/aws/credential_chain.ts";
import { WeepError } from "../../src/errors.ts";
import { assert, assertEquals, assertThrows } from "../support/assert.ts";

const SECRET = "chain-test-SECRET-key-0123456789";
const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

const CONFIG = `# my config
[default]
region = eu-west-1

[profile prod]
credential_process = /usr/local/bin/weep -A arn:aws:iam::123456789012:role/x credential_process arn:aws:iam::123456789012:role/prod --no-ip
region = us-west-2
s3 =
  max_concurrent_requests = 4

[profile keys]
aws_access_key_id = AKIACONFIG
aws_secret_access_key = ${SECRET}

[profile sso]
sso_session = corp
sso_account_id = 123456789012

[profile other-helper]
credential_process = aws-vault exec --json prod --token=hunter2

[profile chained]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = default

[profile both]
credential_process = weep credential_process both-role
`;

const CREDENTIALS = `[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = ${SECRET}

[both]
aws_access_key_id = AKIABOTH
aws_secret_access_key = ${SECRET}
aws_session_token = token-both

[half]
aws_access_key_id = AKIAHALF
`;

function resolve(options: { env?: Record<string, string>; profile?: string; region?: string } = {}) {
  return resolveCredentialChain({
    configText: CONFIG,
    credentialsText: CREDENTIALS,
    env: envOf(options.env ?? {}),
    profile: options.profile,
    region: options.region,
    configRegion: "us-east-1",
    configPath: "/home/u/.aws/config",
    credentialsPath: "/home/u/.aws/credentials",
  });
}

function errorOf(fn: () => unknown, part: string): WeepError {
  const error = assertThrows(fn, part);
  assert(error instanceof WeepError, "a WeepError");
  assert(!`${error.message}\n${error.hints.join("\n")}`.includes(SECRET), "no secret in the error");
  return error;
}

Deno.test("environment keys come first, with the session token", () => {
  const chain = resolve({
    env: {
      AWS_ACCESS_KEY_ID: "AKIAENV",
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: "tok",
      AWS_PROFILE: "prod",
    },
  });
  assertEquals(chain, {
    source: {
      kind: "static",
      credentials: { accessKeyId: "AKIAENV", secretAccessKey: SECRET, sessionToken: "tok" },
      from: "the environment",
    },
    profile: "prod",
    region: "us-west-2",
  });
});

Deno.test("an explicit --profile skips the environment's keys, as the AWS CLI does", () => {
  const chain = resolve({
    env: { AWS_ACCESS_KEY_ID: "AKIAENV", AWS_SECRET_ACCESS_KEY: SECRET },
    profile: "keys",
  });
  assertEquals(chain.source, {
    kind: "static",
    credentials: { accessKeyId: "AKIACONFIG", secretAccessKey: SECRET, sessionToken: undefined },
    from: 'profile "keys" in "/home/u/.aws/config"',
  });
});

Deno.test("the default profile's keys come from the credentials file", () => {
  const chain = resolve();
  assertEquals(chain.profile, "default");
  assertEquals(chain.region, "eu-west-1");
  assertEquals(chain.source.kind === "static" && chain.source.credentials.accessKeyId, "AKIADEFAULT");
});

Deno.test("the credentials file shadows credential_process in the same profile", () => {
  const chain = resolve({ profile: "both" });
  assertEquals(chain.source, {
    kind: "static",
    credentials: { accessKeyId: "AKIABOTH", secretAccessKey: SECRET, sessionToken: "token-both" },
    from: 'profile "both" in "/home/u/.aws/credentials"',
  });
});

Deno.test("weep's own credential_process becomes a descriptor with the role and all arguments", () => {
  const chain = resolve({ env: { AWS_PROFILE: "prod" } });
  assertEquals(chain.source, {
    kind: "weep",
    role: "arn:aws:iam::123456789012:role/prod",
    args: [
      "-A",
      "arn:aws:iam::123456789012:role/x",
      "credential_process",
      "arn:aws:iam::123456789012:role/prod",
      "--no-ip",
    ],
    from: 'profile "prod" (weep credential_process)',
  });
  assertEquals(chain.region, "us-west-2");
});

Deno.test("sources weep cannot use are named, without the command's arguments", () => {
  const helper = errorOf(() => resolve({ profile: "other-helper" }), "");
  assertEquals(
    helper.message,
    'Profile "other-helper" gets credentials from credential_process "aws-vault", which weep cannot use',
  );
  assert(!helper.message.includes("hunter2"), "arguments stay out of the message");
  errorOf(() => resolve({ profile: "sso" }), 'Profile "sso" gets credentials from IAM Identity Center');
  errorOf(
    () => resolve({ profile: "chained" }),
    'Profile "chained" gets credentials from an assumed role (role_arn)',
  );
});

Deno.test("half a key pair is an error, in the environment or a file", () => {
  errorOf(
    () => resolve({ env: { AWS_ACCESS_KEY_ID: "AKIAENV" } }),
    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
  );
  errorOf(
    () => resolve({ profile: "half" }),
    'Profile "half" in "/home/u/.aws/credentials" has aws_access_key_id but no aws_secret_access_key',
  );
});

Deno.test("a missing profile and an empty chain say what to do", () => {
  const missing = errorOf(
    () => resolve({ profile: "nope" }),
    'AWS profile "nope" not found in "/home/u/.aws/config" or "/home/u/.aws/credentials"',
  );
  assert(missing.hints.length > 0);
  const none = errorOf(
    () =>
      resolveCredentialChain({
        env: envOf({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/creds" }),
        configText: undefined,
        credentialsText: undefined,
      }),
    'No AWS credentials found for profile "default"',
  );
  assert(none.hints.some((hint) => hint.includes("container credentials")), none.hints.join("\n"));
});

Deno.test("resolveRegion: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile, then weep's aws.region", () => {
  const env = envOf({ AWS_REGION: "r-env", AWS_DEFAULT_REGION: "r-default" });
  assertEquals(resolveRegion(env, "r-profile", "r-config", "r-flag"), "r-flag");
  assertEquals(resolveRegion(env, "r-profile", "r-config"), "r-env");
  assertEquals(
    resolveRegion(envOf({ AWS_DEFAULT_REGION: "r-default" }), "r-profile", "r-config"),
    "r-default",
  );
  assertEquals(resolveRegion(envOf({ AWS_REGION: " " }), "r-profile", "r-config"), "r-profile");
  assertEquals(resolveRegion(envOf({}), undefined, "r-config"), "r-config");
  assertEquals(resolveRegion(envOf({}), undefined, undefined), undefined);
  assertEquals(resolve({ profile: "keys" }).region, "us-east-1");
});
