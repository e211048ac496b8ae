/**
 * ARNs: the one parser ({@linkcode parseArn}), and what weep reads from them: IAM role ARNs behind the
 * `--assume-role` and `?assume=` checks and what the credential server shows (the role name IMDS lists, the
 * identity document's account, the instance-profile ARN of `iam/info`), role names in ConsoleMe's answers, and
 * the caller `whoami` reports.
 *
 * @module
 */

/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface Arn {
  /** The whole ARN. */
  arn: string;
  partition: string;
  service: string;
  /** Empty for global services such as IAM. */
  region: string;
  /** Empty for services without accounts in their ARNs (S3 buckets). */
  accountId: string;
  /** Everything after the fifth `:` (it may hold more `:`), e.g. `role/team/app` or `bucket`. */
  resource: string;
}

/** Splits `text` into an ARN's parts: at least six `:`-separated parts, the first `arn`; `undefined` otherwise. */
export function parseArn(text: string): Arn | undefined {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition = "", service = "", region = "", accountId = ""] = parts;
  return { arn: text, partition, service, region, accountId, resource: parts.slice(5).join(":") };
}

/** A role in an account, as profiles and tables name it (ConsoleMe's roles are these, and more). */
export interface AccountRole {
  arn: string;
  accountId: string;
  /** The account's name; ConsoleMe says `Unknown` when it does not know the account. */
  accountName: string;
  /** Everything after `role/`, IAM path included (`team/deployer`). */
  roleName: string;
}

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

const PARTITION = /^aws(?:-[a-z]+)*$/;
const ACCOUNT = /^\d{12}$/;
const ROLE_RESOURCE = /^role(\/(?:[\x21-\x2e\x30-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;

/** Parses an IAM role ARN (`arn:aws:iam::123456789012:role/path/name`); `undefined` when it is not one. */
export function parseRoleArn(text: string): RoleArn | undefined {
  const arn = parseArn(text);
  if (!arn || !PARTITION.test(arn.partition) || arn.service !== "iam" || arn.region !== "") return undefined;
  const match = ACCOUNT.test(arn.accountId) ? ROLE_RESOURCE.exec(arn.resource) : null;
  if (!match) return undefined;
  const [, path = "/", name = ""] = match;
  return { arn: text, partition: arn.partition, accountId: arn.accountId, path, name };
}

/**
 * The role name shown for an ARN: everything after `role/` (IAM path included) of a role ARN, the whole
 * resource of another ARN, and `text` itself when it is no ARN.
 */
export function roleNameOf(text: string): string {
  const resource = parseArn(text)?.resource;
  if (resource === undefined) return text;
  return resource.startsWith("role/") ? resource.slice("role/".length) : resource;
}

/** What an STS caller is, read from its ARN. */
export interface Principal {
  /** `assumed-role`, `user`, `root`, `federated-user`, or another resource type. */
  type: string;
  /** The role name of an assumed role, the user name of an IAM user, `root` for the account root. */
  name: string;
  /** The session name of an assumed role. */
  session?: string;
}

/** Reads an STS caller ARN; never throws (ARNs without `/`, such as the root user's, included). */
export function principalOf(arn: string): Principal {
  const resource = parseArn(arn)?.resource ?? arn;
  if (resource === "root") return { type: "root", name: "root" };
  const [type = "", ...rest] = resource.split("/");
  if (type === "assumed-role" && rest.length >= 2) {
    return { type, name: rest.slice(0, -1).join("/"), session: rest.at(-1)! };
  }
  return { type: type || resource, name: rest.at(-1) ?? resource };
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
