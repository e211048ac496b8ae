/**
 * The install record `deno task install` writes to `~/.aws/weep/install.json` (`{kind, path}`): what kind of
 * install it made and where the `weep` command it installed lives.
 *
 * @module
 */

import { parseRecord } from "../platform/state_trust.ts";

/** What `deno task install` recorded. */
export interface InstallRecord {
  /** How weep was installed, e.g. a compiled binary or a script shim. */
  kind: string;
  /** The absolute path of the installed `weep` command. */
  path: string;
  /** The version installed. */
  version?: string;
  /** Whether, when it was installed, the first `weep` on PATH was this one. */
  firstOnPath?: boolean;
}

/** Parses install.json; `undefined` for a missing or malformed file (never throws). */
export function parseInstallRecord(text: string | undefined): InstallRecord | undefined {
  const data = parseRecord(text);
  if (typeof data?.kind !== "string" || typeof data.path !== "string" || data.path === "") return undefined;
  const record: InstallRecord = { kind: data.kind, path: data.path };
  if (typeof data.version === "string") record.version = data.version;
  if (typeof data.firstOnPath === "boolean") record.firstOnPath = data.firstOnPath;
  return record;
}
