/**
 * The file side of `weep generate`: plans the profiles into `~/.aws/config` and writes them (locked, atomic),
 * or makes the `--dry-run` diff; the warnings a user needs about the result.
 *
 * @module
 */

import { configSizeWarning } from "./config_cost.ts";
import {
  type EditableFile,
  type PlanOptions,
  planProfiles,
  type ProfilePlan,
  readForEdit,
} from "./ini/config_file.ts";
import { unifiedDiff } from "../text/diff.ts";
import { editAwsFile, readAwsFile } from "./ini/edit_file.ts";
import { checkPruneList, desiredProfiles, type ProfileChoice, shadowWarnings } from "./generate_plan.ts";
import { legacyProfileRole } from "./profile_command.ts";
import type { AccountRole } from "./arn.ts";
import { errorText } from "../errors.ts";

/** What `generate` was asked to do. */
export interface GenerateInput extends ProfileChoice {
  /** The config file to edit. */
  path: string;
  /**
   * The absolute `--config` and `--extra-config-file` the profiles name: profiles with weep's older marker
   * that name the same are this ConsoleMe's.
   */
  config: { config: string | undefined; extraConfigFile: string | undefined };
  /** The credentials file, for shadowing warnings. */
  credentialsPath: string;
  dryRun: boolean;
  /**
   * The config file as {@linkcode readConfigForEdit} read it before ConsoleMe was asked: planned from, instead of
   * being read for the edit a second time (see `fileToPlan`).
   */
  checked?: EditableFile | undefined;
}

/**
 * Reads the config file at `path` for an edit; throws when it has problems AWS tools reject, so that a file
 * weep cannot edit is refused before ConsoleMe is asked (which may mean a login in the browser).
 */
export async function readConfigForEdit(path: string): Promise<EditableFile> {
  return readForEdit(await readAwsFile(path) ?? "", { kind: "config", label: path });
}

/** What the run did. */
export interface GenerateResult {
  plan: ProfilePlan;
  /** The unified diff, for `--dry-run`. */
  diff: string;
  /** Milliseconds spent by weep itself (planning and writing, not waiting for ConsoleMe). */
  ownMs: number;
  warnings: string[];
}

/** Plans the edit, and writes it unless `dryRun`. Pure apart from the two files it reads and the one it writes. */
export async function generateProfiles(
  roles: readonly AccountRole[],
  input: GenerateInput,
  locksDir: string,
): Promise<GenerateResult> {
  const started = performance.now();
  const { desired, selected, warnings } = desiredProfiles(roles, input);
  checkPruneList(roles, selected, input);
  const options: PlanOptions = {
    kind: "config",
    prune: input.prune,
    force: input.force,
    label: input.path,
    origin: input.origin,
    // Only prune looks at the roles still listed.
    present: input.prune ? new Set(selected.map((role) => role.arn)) : undefined,
    legacyRole: (section) =>
      legacyProfileRole(section.keys.get("credential_process"), input.config, Deno.build.os),
  };
  const file = await fileToPlan(input, options);
  // Plan once before taking the lock: a file we must refuse is refused without waiting for anyone.
  const first = planProfiles(file, desired, options);
  // The credentials file only feeds warnings: read it before writing, so that a file we cannot read fails
  // nothing (an error after the write would report a failure for a config that was written).
  let credentialsText: string | undefined;
  try {
    credentialsText = await readAwsFile(input.credentialsPath);
  } catch (error) {
    warnings.push(
      `Cannot check ${input.credentialsPath} for sections that shadow weep's profiles: ${errorText(error)}`,
    );
  }
  let plan = first;
  let diff = "";
  if (input.dryRun) {
    diff = unifiedDiff(file.text, plan.text, input.path, input.path);
  } else if (plan.changed) {
    // Planning is pure: when nobody changed the file meanwhile, the plan made above is the plan.
    plan = await editAwsFile(
      input.path,
      locksDir,
      (now) => now === file.text ? first : planProfiles(now, desired, options),
    );
  }
  // Loops, not spreads: a 100,000-role account can have that many warnings.
  for (const warning of plan.warnings) warnings.push(warning);
  const shadowed = shadowWarnings(desired, credentialsText, input.credentialsPath);
  for (const warning of shadowed) warnings.push(warning);
  const size = configSizeWarning(plan.profiles, input.path, { used: !!input.used, dryRun: input.dryRun });
  if (size) warnings.push(size);
  return { plan, diff, ownMs: performance.now() - started, warnings };
}

/**
 * The file to plan from: as {@linkcode readConfigForEdit} read it before ConsoleMe was asked, without reading it
 * again. A change made since is found under the lock before anything is written (the edit is planned again on
 * the file as it is then), and a plan that changes nothing writes nothing. A dry run reads the file again, for a
 * diff of the file as it is.
 */
async function fileToPlan(input: GenerateInput, options: PlanOptions): Promise<EditableFile> {
  if (input.checked !== undefined && !input.dryRun) return input.checked;
  const text = await readAwsFile(input.path) ?? "";
  return input.checked?.text === text ? input.checked : readForEdit(text, options);
}

/** The one-line summary: `added N, updated N, renamed N, removed N, unchanged N, skipped N → <file>`. */
export function summary(plan: ProfilePlan, path: string, dryRun: boolean): string {
  const updated = plan.updated.length + plan.adopted.length;
  const counts = `added ${plan.added.length}, updated ${updated}, renamed ${plan.renamed.length}, ` +
    `removed ${plan.removed.length}, unchanged ${plan.unchanged.length}, skipped ${plan.skipped.length}`;
  return dryRun ? `${counts} (dry run, nothing written) → ${path}` : `${counts} → ${path}`;
}
