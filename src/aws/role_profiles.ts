/**
 * Which profiles of the AWS config file use which role through weep (`weep list --profiles`): the role a
 * marker names, else the role of a `weep credential_process ROLE` line; plus the legacy `aws-profiles` map of
 * weep's configuration. Pure.
 *
 * @module
 */

import { listSections } from "./ini/config_file.ts";
import { readProcessCommand } from "./process_command.ts";

/** Role ARN → the names of the profiles that use it, in file order (then the `aws-profiles` map's). */
export function roleProfiles(
  configText: string | undefined,
  awsProfiles: Readonly<Record<string, string>>,
  os: typeof Deno.build.os,
): Map<string, string[]> {
  const byRole = new Map<string, string[]>();
  const add = (role: string, name: string) => {
    const names = byRole.get(role);
    if (names === undefined) byRole.set(role, [name]);
    else if (!names.includes(name)) names.push(name);
  };
  for (const section of configText ? listSections(configText, "config") : []) {
    if (section.kind !== "profile") continue;
    const line = section.keys.get("credential_process");
    const command = line === undefined ? undefined : readProcessCommand(line, os);
    const role = section.owner?.role ?? (command?.kind === "weep" ? command.role : undefined);
    if (role !== undefined) add(role, section.name);
  }
  for (const [name, role] of Object.entries(awsProfiles)) add(role, name);
  return byRole;
}
