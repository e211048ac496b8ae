/**
 * What `weep file` writes into `~/.aws/credentials`: a weep-managed profile with static keys and their
 * expiration, planned with the lossless editor (every other byte kept), and read back for `--auto-refresh`.
 * Pure.
 *
 * @module
 */

import { WeepError } from "../errors.ts";
import { listSections, planProfiles, type ProfileOwner, type ProfilePlan } from "./ini/config_file.ts";
import { type AwsCredentials, formatExpiration } from "./credentials.ts";

/** The non-standard key holding when the keys expire (RFC 3339 UTC); AWS tools ignore it. */
export const EXPIRATION_KEY = "expiration";

/** The keys of a credentials profile, in the order weep writes them. */
export function credentialKeys(credentials: AwsCredentials): [string, string][] {
  return [
    ["aws_access_key_id", credentials.accessKeyId],
    ["aws_secret_access_key", credentials.secretAccessKey],
    ["aws_session_token", credentials.sessionToken],
    [EXPIRATION_KEY, formatExpiration(credentials.expiration)],
  ];
}

const PLACEHOLDER: AwsCredentials = {
  accessKeyId: "placeholder",
  secretAccessKey: "placeholder",
  sessionToken: "placeholder",
  expiration: new Date(0),
};

/**
 * Plans `profile` in the credentials file `text` (`undefined`: no file yet) with `credentials`, its marker
 * naming `owner`. Throws when the file has problems AWS tools reject, or when the profile exists and weep did
 * not write it (unless `force`). Without `credentials` it only checks, so callers can refuse before fetching
 * anything.
 */
export function planCredentialsFile(
  text: string | undefined,
  profile: string,
  options: { path: string; force: boolean; credentials?: AwsCredentials; owner?: ProfileOwner },
): ProfilePlan {
  const keys = credentialKeys(options.credentials ?? PLACEHOLDER);
  const plan = planProfiles(text ?? "", [{ name: profile, keys, owner: options.owner }], {
    kind: "credentials",
    force: options.force,
    label: options.path,
  });
  if (plan.skipped.length > 0) {
    throw new WeepError(
      `Profile "${profile}" in "${options.path}" was not written by weep; not overwriting it`,
      {
        hints: [
          "Use --force to let weep manage it (weep sets its keys and keeps the others)",
          "or write to another profile with --profile NAME",
        ],
      },
    );
  }
  return plan;
}

/**
 * When the keys of `profile` expire, from weep's `expiration` key (RFC 3339, or epoch seconds as Netflix
 * weep wrote it); `undefined` when the profile, the key or a valid date is missing.
 */
export function readExpiration(text: string | undefined, profile: string): Date | undefined {
  if (text === undefined) return undefined;
  let value: string | undefined;
  try {
    const sections = listSections(text, "credentials").filter((s) =>
      s.kind === "profile" && s.name === profile
    );
    value = sections.at(-1)?.keys.get(EXPIRATION_KEY)?.trim();
  } catch {
    return undefined;
  }
  if (!value) return undefined;
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  return isNaN(date.getTime()) ? undefined : date;
}
