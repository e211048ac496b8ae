/**
 * The documents the IMDS emulation answers with: the credentials, `iam/info`, the instance identity
 * document, and the paths of `metadata.routes`. Pure functions of their inputs.
 *
 * @module
 */

import { formatExpiration } from "../aws/credentials.ts";
import { instanceProfileArn, type RoleArn } from "../aws/arn.ts";
import type { CachedCredentials } from "./credential_cache.ts";

/** The account the identity document shows when the served role is not an ARN. */
export const PLACEHOLDER_ACCOUNT = "123456789012";

/** `iam/security-credentials/<name>`: the credential JSON EC2 instances get. */
export function imdsCredentialsJson(cached: CachedCredentials): Record<string, string> {
  const { credentials } = cached;
  return {
    Code: "Success",
    LastUpdated: formatExpiration(cached.fetchedAt),
    Type: "AWS-HMAC",
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    Token: credentials.sessionToken,
    Expiration: formatExpiration(credentials.expiration),
  };
}

/** `iam/info`: the instance profile of the served role. */
export function iamInfoJson(role: RoleArn, lastUpdated: Date): Record<string, string> {
  return {
    Code: "Success",
    LastUpdated: formatExpiration(lastUpdated),
    InstanceProfileArn: instanceProfileArn(role),
    InstanceProfileId: "AIPAWEEPLOCALPROFILE",
  };
}

/** What the identity document is made of. */
export interface IdentityInputs {
  /** The served role, when it is an ARN. */
  role: RoleArn | undefined;
  /** `aws.region`. */
  region: string;
  /** `Deno.build.arch`. */
  arch: string;
  /** When the server started. */
  startedAt: Date;
}

/** The EC2 architecture name of a `Deno.build.arch`: `x86_64` or `arm64`. */
export function ec2Architecture(arch: string): string {
  return arch === "aarch64" ? "arm64" : arch;
}

/** `dynamic/instance-identity/document`: the account of the role, the configured region, this machine's architecture. */
export function identityDocument(inputs: IdentityInputs): Record<string, unknown> {
  return {
    accountId: inputs.role?.accountId ?? PLACEHOLDER_ACCOUNT,
    architecture: ec2Architecture(inputs.arch),
    availabilityZone: `${inputs.region}a`,
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: "ami-00000000000000000",
    instanceId: "i-00000000000000000",
    instanceType: "t3.micro",
    kernelId: null,
    pendingTime: formatExpiration(inputs.startedAt),
    privateIp: "127.0.0.1",
    ramdiskId: null,
    region: inputs.region,
    version: "2017-09-30",
  };
}

/**
 * `metadata.routes` as path -> text, each path relative to the version segment: `latest/user-data` and
 * `/2009-04-04/user-data` both become `user-data` (served under every version). Later entries win.
 */
export function customRoutes(routes: readonly { path: string; data: string }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const route of routes) {
    const parts = route.path.split("/").filter((part) => part !== "");
    if (parts[0] === "latest" || /^\d{4}-\d{2}-\d{2}$/.test(parts[0] ?? "")) parts.shift();
    if (parts.length > 0) map.set(parts.join("/"), route.data);
  }
  return map;
}

/** The entries of the directory `dir` (`""` or `meta-data/`): built-in names plus custom route names. */
export function listing(builtIn: readonly string[], routes: Map<string, string>, dir: string): string {
  const bare = (name: string) => name.replace(/\/$/, "");
  const names = new Map(builtIn.map((name) => [bare(name), name]));
  for (const path of routes.keys()) {
    if (!path.startsWith(dir)) continue;
    const rest = path.slice(dir.length);
    const slash = rest.indexOf("/");
    const name = slash < 0 ? rest : rest.slice(0, slash + 1);
    if (name !== "" && !names.has(bare(name))) names.set(bare(name), name);
  }
  return [...names.values()].sort().join("\n");
}
