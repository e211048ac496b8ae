/**
 * What `weep generate` wants in `~/.aws/config`: which roles get a profile (filters, `--used`), what each
 * profile is called and holds, and the checks made before the file is touched. Pure.
 *
 * @module
 */

import type { AccountRole } from "./arn.ts";
import { WeepError } from "../errors.ts";
import { type DesiredProfile, listSections } from "./ini/config_file.ts";
import { isSafeWord } from "../text/shlex.ts";
import type { ProfileTemplate } from "./profile_template.ts";
import { nameProfiles, selectRoles } from "./profiles.ts";

/** Which profiles to write, and how. */
export interface ProfileChoice {
  /** The origin of the ConsoleMe the roles come from (see `consoleMeOrigin`). */
  origin: string;
  /** How profiles are named (`--name`, `--pretty`); without one, by role ARN. */
  template: ProfileTemplate | undefined;
  /** The program that runs weep, e.g. `weep` or `/opt/weep/weep`. */
  command: string;
  /** Global flags every profile passes after `credential_process`. */
  flags: string[];
  include: string[];
  exclude: string[];
  /** `--used`: only roles of this set (ARNs), those used through weep in the last `period`. */
  used?: { roles: ReadonlySet<string>; period: string } | undefined;
  /** `--profile-region`: the `region` of profiles weep adds. */
  region?: string | undefined;
  prune: boolean;
  force: boolean;
}

/**
 * The profiles to write for `roles`: names checked per SDK, one `credential_process` key each (and the
 * region for new ones), owned by `choice.origin`; and the roles chosen (prune keeps their profiles).
 */
export function desiredProfiles(
  roles: readonly AccountRole[],
  choice: ProfileChoice,
): { desired: DesiredProfile[]; selected: AccountRole[]; warnings: string[] } {
  let selected = selectRoles(roles, { include: choice.include, exclude: choice.exclude });
  const used = choice.used?.roles;
  if (used) selected = selected.filter((role) => used.has(role.arn));
  // SDKs run the line through a shell (JS, Go) or shlex (botocore): an ARN that either would read as more
  // than one word, or as shell syntax (IAM paths allow `$`, `(`, `;` ...), is never written into one.
  const safe: AccountRole[] = [];
  const unsafe: AccountRole[] = [];
  for (const role of selected) (isSafeWord(role.arn) ? safe : unsafe).push(role);
  const naming = nameProfiles(safe, { template: choice.template, kind: "config" });
  const command = [choice.command, "credential_process", ...choice.flags].join(" ");
  const initialKeys = choice.region ? [["region", choice.region] as const] : undefined;
  const desired = naming.profiles.map(({ name, role }) => ({
    name,
    keys: [["credential_process", `${command} ${role.arn}`]] as const,
    initialKeys,
    owner: { origin: choice.origin, role: role.arn },
  }));
  const warnings = unsafe.map((role) =>
    `Skipped role "${role.arn}": its ARN has characters a shell would interpret, so no command line can name it`
  );
  for (const warning of naming.warnings) warnings.push(warning);
  return { desired, selected, warnings };
}

/** Whether `text` looks like an AWS region name: `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`. */
export function isRegionName(text: string): boolean {
  return /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(text);
}

/** Warnings for generated profiles that `~/.aws/credentials` sections of the same name would shadow. */
export function shadowWarnings(
  profiles: readonly { name: string }[],
  credentialsText: string | undefined,
  file: string,
): string[] {
  if (!credentialsText) return [];
  const wanted = new Set(profiles.map((profile) => profile.name));
  return listSections(credentialsText, "credentials")
    .filter((section) => wanted.has(section.name))
    .map((section) =>
      `Profile "${section.name}" also has a section in ${file} (line ${section.line}): AWS clients will use ` +
      "those keys instead of credential_process; remove that section to use weep"
    );
}

/**
 * Refuses `--prune` without `--force` when it would go by an empty list: ConsoleMe listing no roles at all
 * (an outage page read as a list, a new account), filters that leave none, or `--used` finding none used
 * would remove every profile weep wrote from this ConsoleMe.
 */
export function checkPruneList(
  roles: readonly AccountRole[],
  selected: readonly AccountRole[],
  choice: Pick<ProfileChoice, "origin" | "prune" | "force" | "used" | "include" | "exclude">,
): void {
  if (!choice.prune || choice.force || selected.length > 0) return;
  const filtered = choice.include.length + choice.exclude.length > 0;
  const hints = ["Nothing was changed"];
  let why: string;
  if (roles.length === 0) why = `ConsoleMe at "${choice.origin}" lists no roles for you`;
  else if (choice.used) {
    why = `weep recorded no use of any of your ${roles.length} roles in the last ${choice.used.period}` +
      (filtered ? " that --include and --exclude leave" : "");
    hints.push(
      "weep records a role each time credential_process, export, file, serve or console gets it: use your " +
        "roles for a while, or give a longer period (--used 90d)",
    );
    hints.push("To remove them all anyway, run the same command with --force");
  } else why = `--include and --exclude leave none of your ${roles.length} roles`;
  if (!choice.used) {
    hints.push("If every role really is gone, run the same command with --force to remove their profiles");
  }
  throw new WeepError(`${why}: refusing to --prune, which would remove every profile weep wrote from it`, {
    hints,
  });
}
