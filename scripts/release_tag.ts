/**
 * `deno run scripts/release_tag.ts TAG`: the release workflow's guard. Exits 0 when TAG is `v` + the version in
 * `deno.json`, and 1 with a message on stderr otherwise, so a release is never published under the wrong name.
 *
 * @module
 */

import { VERSION } from "../src/version.ts";

/** Why `tag` cannot release `version`, or `undefined` when it can (the tag must be exactly `v<version>`). */
export function releaseTagProblem(tag: string, version: string): string | undefined {
  const name = tag.replace(/^refs\/tags\//, "");
  if (name === `v${version}`) return undefined;
  return `Tag "${name}" does not match the version in deno.json ("${version}"): tag the release "v${version}", ` +
    `or set "version" in deno.json to "${name.replace(/^v/, "")}" first`;
}

if (import.meta.main) {
  const problem = releaseTagProblem(Deno.args[0] ?? "", VERSION);
  if (problem) {
    Deno.stderr.writeSync(new TextEncoder().encode(`error: ${problem}\n`));
    Deno.exit(1);
  }
  Deno.stderr.writeSync(new TextEncoder().encode(`Tag matches weep ${VERSION}\n`));
}
