/**
 * A fake browser opener for tests of `console` and `open`: a script on PATH that records the arguments it
 * was started with in `<home>/opened.txt`.
 *
 * @module
 */

import type { TempHome } from "./cli.ts";

/**
 * Puts a fake `xdg-open` (and `wslview`, for WSL machines) on PATH that appends its arguments to
 * `<home>/opened.txt` and exits `code`; returns the environment for `runWeep`, with a `DISPLAY`.
 */
export async function fakeBrowser(home: TempHome, code = 0): Promise<Record<string, string>> {
  const bin = `${home.home}/bin`;
  await Deno.mkdir(bin, { recursive: true });
  const script = `#!/bin/sh\nprintf '%s\\n' "$@" >> "$HOME/opened.txt"\nexit ${code}\n`;
  for (const name of ["wslview", "xdg-open"]) {
    await Deno.writeTextFile(`${bin}/${name}`, script, { mode: 0o755 });
  }
  return {
    PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    DISPLAY: ":99",
  };
}
