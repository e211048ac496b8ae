/**
 * Where Netflix weep kept its configuration, and how to move it to where this weep reads it. weep itself may
 * read only the AWS directory, so it never looks at the old places: it names them when no ConsoleMe URL is
 * configured, and `deno task install` (which runs outside the sandbox) copies the file over. Pure.
 *
 * @module
 */

import { joinPath, type WeepPaths } from "../platform/paths.ts";
import { isSafeWord, quotePosix } from "../text/shlex.ts";

/** Netflix weep's config files in the order it searched them (it read the first one found). */
export function netflixConfigFiles(home: string, os: typeof Deno.build.os): string[] {
  return [
    joinPath(os, home, ".weep", "weep.yaml"),
    joinPath(os, ".", "weep.yaml"),
    ...(os === "windows" ? [] : ["/etc/weep/weep.yaml"]),
  ];
}

/** The shell command that moves `from` to `to`, creating `to`'s directory (cmd.exe on Windows). */
export function moveCommand(from: string, to: string, os: typeof Deno.build.os): string {
  const dir = to.slice(0, Math.max(to.lastIndexOf("/"), to.lastIndexOf("\\")));
  if (os === "windows") return `mkdir "${dir}" 2>nul & move "${from}" "${to}"`;
  const quote = (path: string) => isSafeWord(path) ? path : quotePosix(path);
  return `mkdir -p ${quote(dir)} && mv ${quote(from)} ${quote(to)}`;
}

/** What to do when no ConsoleMe URL is configured: where to set it, and where a Netflix weep config went. */
export function missingUrlHints(
  paths: Pick<WeepPaths, "home" | "weepConfigFile">,
  os: typeof Deno.build.os,
): string[] {
  const [home, ...others] = netflixConfigFiles(paths.home, os);
  return [
    `Set it in ${paths.weepConfigFile} (or the file given with --config):  consoleme_url: https://consoleme.example.com`,
    "or set the environment variable WEEP_CONSOLEME_URL",
    `Coming from Netflix weep? This weep reads ${paths.weepConfigFile}, not ${home}, ${
      others.join(" or ")
    }; ` +
    "move yours with:",
    `  ${moveCommand(home as string, paths.weepConfigFile, os)}`,
  ];
}
