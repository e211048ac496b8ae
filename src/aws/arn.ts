/**
 * IAM role ARNs: the one parser behind `--assume-role` and `?assume=` checks, and what the credential server
 * shows (the role name IMDS lists, the identity document's account, the instance-profile ARN of `iam/info`).
 *
 * @module
 */

/** The parts of an IAM role ARN. */
export interface RoleArn {
  /** The whole ARN. */
  arn: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  partition: string;
  accountId: string;
  /** The IAM path with its slashes: `/` or `/team/`. */
  path: string;
  /** The role name, without the path. */
  name: string;
}

const ROLE_ARN =
  /^arn:(aws(?:-[a-z]+)*):iam::(\d{12}):role(\/(?:[\x21-\x2e\x30-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;

/** Parses an IAM role ARN (`arn:aws:iam::123456789012:role/path/name`); `undefined` when it is not one. */
export function parseRoleArn(text: string): RoleArn | undefined {
  const match = ROLE_ARN.exec(text);
  if (!match) return undefined;
  const [, partition = "", accountId = "", path = "/", name = ""] = match;
  return { arn: text, partition, accountId, path, name };
}

/** The instance-profile ARN IMDS shows for a role: same partition, account, path and name. */
export function instanceProfileArn(role: RoleArn): string {
  return `arn:${role.partition}:iam::${role.accountId}:instance-profile${role.path}${role.name}`;
}

/**
 * The name IMDS lists under `iam/security-credentials/` for `role` (an ARN or a search string): the role name
 * of an ARN, else the last `/` part of the string with characters IAM does not allow replaced by `-`.
 */
export function imdsRoleName(role: string): string {
  const parsed = parseRoleArn(role);
  if (parsed) return parsed.name;
  const last = role.split("/").filter((part) => part !== "").at(-1) ?? "";
  const name = last.replace(/[^\w+=,.@-]/g, "-").slice(0, 64);
  return name === "" ? "weep" : name;
}
