/**
 * weep's name, version and build metadata. The version comes from `deno.json`; the compile script may
 * replace `build_info.json` with the commit, date and embedded configuration of a build.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };
import buildInfo from "./build_info.json" with { type: "json" };

/** The version in `deno.json`. */
export const VERSION: string = denoJson.version;

/** What a build recorded about itself. */
export interface BuildInfo {
  /** Git commit the binary was built from, or "" when run from source. */
  commit: string;
  /** Build time (RFC 3339), or "" when run from source. */
  date: string;
  /** Name of the embedded configuration file, or "" when none. */
  embeddedConfigName: string;
  /** The embedded configuration's YAML text, or "" when none. */
  embeddedConfig: string;
  /** Who the build is for (`install`, `release`, `org`); `source` or absent when run from source. */
  artifact?: string;
}

/** This build's metadata. */
export const BUILD: BuildInfo = buildInfo;

/** The User-Agent weep sends: `weep/<version> (Deno)`. */
export const USER_AGENT = `weep/${VERSION} (Deno)`;

/** `weep <version> (<commit>) built <date>[ with embedded config <name>]`, or the source-run form. */
export function versionLine(build: BuildInfo = BUILD): string {
  const parts = [`weep ${VERSION}`];
  if (build.commit) parts.push(`(${build.commit})`);
  parts.push(build.date ? `built ${build.date}` : "(from source)");
  if (build.embeddedConfigName) parts.push(`with embedded config ${build.embeddedConfigName}`);
  return parts.join(" ");
}
