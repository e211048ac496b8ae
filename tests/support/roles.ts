/**
 * A role as weep's ConsoleMe client hands it to the rest of weep, for unit tests of naming and filtering.
 *
 * @module
 */

import type { ConsoleMeRole } from "../../src/consoleme/types.ts";

/** The role `roleName` (IAM path included) of account `accountId`, which ConsoleMe calls `accountName`. */
export function consoleMeRole(accountId: string, accountName: string, roleName: string): ConsoleMeRole {
  return { arn: `arn:aws:iam::${accountId}:role/${roleName}`, accountId, accountName, roleName, apps: [] };
}
