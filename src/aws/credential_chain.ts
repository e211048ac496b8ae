/**
 * The AWS CLI's default credential chain, as far as weep can follow it without running other programs (for
 * `weep whoami`): environment keys, then the profile's static keys or weep's own `credential_process`. Pure:
 * the caller passes the texts of the config and credentials files.
 *
 * @module
 */

import { type FileKind, listSections, type SectionKeys } from "./ini/config_file.ts";
import { readProcessCommand } from "./process_command.ts";
import type { SigningCredentials } from "./sts/sigv4.ts";
import { WeepError } from "../errors.ts";

/** What {@linkcode resolveCredentialChain} reads. */
export interface CredentialChainInput {
  /** Text of the AWS config file; `undefined` when it does not exist. */
  configText?: string | undefined;
  /** Text of the AWS credentials file; `undefined` when it does not exist. */
  credentialsText?: string | undefined;
  /** Environment lookup. */
  env: (name: string) => string | undefined;
  /** `--profile`. Like the AWS CLI, an explicit profile skips the environment's keys; `AWS_PROFILE` does not. */
  profile?: string | undefined;
  /** `--region`; wins over everything. */
  region?: string | undefined;
  /** weep's `aws.region`, the last fallback for the region. */
  configRegion?: string | undefined;
  /** The files' paths, for messages (default `~/.aws/config` and `~/.aws/credentials`). */
  configPath?: string | undefined;
  credentialsPath?: string | undefined;
  /** The platform: on Windows a `credential_process` line is split by CreateProcess rules, as botocore does. */
  os?: typeof Deno.build.os | undefined;
}

/** Where the credentials come from. */
export type ChainSource =
  /** Keys to sign with directly: from the environment or a profile. */
  | { kind: "static"; credentials: SigningCredentials; from: string }
  /** The profile runs `weep [options] credential_process ROLE`: resolve it in-process with `args` (without `weep`). */
  | { kind: "weep"; role: string; args: string[]; from: string };

/** The resolved chain. */
export interface CredentialChain {
  source: ChainSource;
  /** The profile in effect (also when the environment's keys won). */
  profile: string;
  /** Region for STS, when any source names one. */
  region: string | undefined;
}

const UNSUPPORTED: [keys: string[], what: string][] = [
  [["role_arn"], "an assumed role (role_arn)"],
  [["web_identity_token_file"], "a web identity token (web_identity_token_file)"],
  [["sso_session", "sso_start_url"], "IAM Identity Center (sso_session, sso_start_url)"],
];

/**
 * Resolves credentials the way the AWS CLI orders its providers: environment keys, then in the profile
 * `role_arn`, web identity and SSO (which weep cannot use), the credentials file's keys, `credential_process`
 * (only weep's own), and the config file's keys. Throws a {@linkcode WeepError} naming the source weep cannot
 * use, an incomplete key pair, a missing profile, or the absence of any credentials.
 */
export function resolveCredentialChain(input: CredentialChainInput): CredentialChain {
  const env = (name: string) => input.env(name)?.trim() || undefined;
  const profile = input.profile ?? env("AWS_PROFILE") ?? "default";
  const configLabel = input.configPath ?? "~/.aws/config";
  const credentialsLabel = input.credentialsPath ?? "~/.aws/credentials";
  const config = profileKeys(input.configText, "config", profile);
  const credentials = profileKeys(input.credentialsText, "credentials", profile);
  const merged = new Map([...(config ?? []), ...(credentials ?? [])]);
  const region = resolveRegion(input.env, merged.get("region"), input.configRegion, input.region);
  const done = (source: ChainSource): CredentialChain => ({ source, profile, region });

  if (input.profile === undefined) {
    const fromEnv = keyPair(env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), () => {
      throw new WeepError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not", {
        hints: ["Set both, or unset AWS_ACCESS_KEY_ID to use a profile"],
      });
    });
    if (fromEnv) {
      const token = env("AWS_SESSION_TOKEN") ?? env("AWS_SECURITY_TOKEN");
      return done({
        kind: "static",
        credentials: { ...fromEnv, sessionToken: token },
        from: "the environment",
      });
    }
  }
  for (const [keys, what] of UNSUPPORTED) {
    if (keys.some((key) => merged.get(key))) throw unsupported(profile, what);
  }
  const fromCredentials = fileKeys(credentials, profile, credentialsLabel);
  if (fromCredentials) return done(fromCredentials);
  const command = merged.get("credential_process");
  if (command) {
    const run = readProcessCommand(command, input.os);
    if (run.kind === "other") throw unsupported(profile, `credential_process "${run.program}"`);
    if (run.kind === "weep-other") {
      throw unsupported(profile, 'a weep command other than "weep credential_process ROLE"');
    }
    return done({
      kind: "weep",
      role: run.role,
      args: run.args,
      from: `profile "${profile}" (weep credential_process)`,
    });
  }
  const fromConfig = fileKeys(config, profile, configLabel);
  if (fromConfig) return done(fromConfig);

  if (config === undefined && credentials === undefined && profile !== "default") {
    throw new WeepError(`AWS profile "${profile}" not found in "${configLabel}" or "${credentialsLabel}"`, {
      hints: ["Check --profile and AWS_PROFILE; list profiles with: aws configure list-profiles"],
    });
  }
  const hints = [
    'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (for example with: eval "$(weep export ROLE)")',
    "or choose a profile with keys or a weep credential_process (--profile, AWS_PROFILE)",
  ];
  if (env("AWS_CONTAINER_CREDENTIALS_FULL_URI") || env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    hints.push("weep does not read container credentials (AWS_CONTAINER_CREDENTIALS_*)");
  }
  throw new WeepError(`No AWS credentials found for profile "${profile}"`, { hints });
}

/** The keys of `profile` in a file (the last section that defines it), or `undefined` when there is none. */
function profileKeys(
  text: string | undefined,
  kind: FileKind,
  profile: string,
): SectionKeys | undefined {
  if (text === undefined) return undefined;
  const matches = listSections(text, kind).filter((s) => s.kind === "profile" && s.name === profile);
  return matches[matches.length - 1]?.keys;
}

function fileKeys(
  keys: SectionKeys | undefined,
  profile: string,
  label: string,
): ChainSource | undefined {
  const pair = keyPair(keys?.get("aws_access_key_id"), keys?.get("aws_secret_access_key"), () => {
    throw new WeepError(
      `Profile "${profile}" in "${label}" has aws_access_key_id but no aws_secret_access_key`,
      {
        hints: ["Add aws_secret_access_key to the profile, or remove aws_access_key_id"],
      },
    );
  });
  if (!pair) return undefined;
  const sessionToken = keys?.get("aws_session_token") || keys?.get("aws_security_token") || undefined;
  return {
    kind: "static",
    credentials: { ...pair, sessionToken },
    from: `profile "${profile}" in "${label}"`,
  };
}

function keyPair(
  accessKeyId: string | undefined,
  secretAccessKey: string | undefined,
  partial: () => never,
): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!accessKeyId) return undefined;
  if (!secretAccessKey) partial();
  return { accessKeyId, secretAccessKey };
}

function unsupported(profile: string, what: string): WeepError {
  return new WeepError(`Profile "${profile}" gets credentials from ${what}, which weep cannot use`, {
    hints: [
      `Ask the AWS CLI instead: aws sts get-caller-identity --profile ${profile}`,
      "or set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN and run weep again",
    ],
  });
}

/**
 * The region the AWS CLI would use for STS: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
 * `region`, else weep's `aws.region`.
 */
export function resolveRegion(
  env: (name: string) => string | undefined,
  profileRegion: string | undefined,
  configRegion: string | undefined,
  flag?: string,
): string | undefined {
  const pick = (value: string | undefined) => value?.trim() || undefined;
  return pick(flag) ?? pick(env("AWS_REGION")) ?? pick(env("AWS_DEFAULT_REGION")) ?? pick(profileRegion) ??
    pick(configRegion);
}
