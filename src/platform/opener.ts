/**
 * Opens a URL in the user's browser with the platform's opener: `open` (macOS), `cmd /c start` (Windows),
 * `wslview` (WSL), `xdg-open` (Linux desktops). On a machine without a display it does not try. Only absolute
 * `http:` and `https:` URLs are ever passed on: never another scheme, and never a word an opener would read as
 * an option (`-…`).
 *
 * @module
 */

/** What the opener needs to know about the machine. */
export interface OpenerEnv {
  os: typeof Deno.build.os;
  env: (name: string) => string | undefined;
  /** The kernel release (`Deno.osRelease()`), to detect WSL. */
  osRelease: () => string;
}

/**
 * The command lines to try for `url`, best first; empty when there is no way to show a browser, or when `url`
 * is not an absolute http(s) URL.
 */
export function openerCommands(url: string, machine: OpenerEnv): string[][] {
  if (!/^https?:\/\/[^\s]/i.test(url) || !URL.canParse(url)) return [];
  const extra = (machine.env("WEEP_OPEN_LINK_OPTIONS") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  switch (machine.os) {
    case "darwin":
      return [["open", ...extra, url]];
    case "windows":
      // cmd treats & | ^ < > as operators: escape them so the URL reaches `start` whole.
      return [["cmd", "/d", "/c", "start", '""', ...extra, url.replace(/[&|^<>]/g, "^$&")]];
    default: {
      let wsl = false;
      try {
        wsl = /microsoft/i.test(machine.osRelease()) || machine.env("WSL_DISTRO_NAME") !== undefined;
      } catch {
        wsl = machine.env("WSL_DISTRO_NAME") !== undefined;
      }
      if (wsl) return [["wslview", ...extra, url]];
      if (!machine.env("DISPLAY") && !machine.env("WAYLAND_DISPLAY")) return [];
      return [["xdg-open", ...extra, url]];
    }
  }
}

/** Opens `url`; returns whether an opener succeeded. Never throws. */
export async function openUrl(url: string, machine: OpenerEnv): Promise<boolean> {
  for (const [program, ...args] of openerCommands(url, machine)) {
    try {
      const status = await new Deno.Command(program!, { args, stdin: "null", stdout: "null", stderr: "null" })
        .output();
      if (status.success) return true;
    } catch {
      // not installed or not permitted: try the next one
    }
  }
  return false;
}

/** This process's machine facts for {@linkcode openUrl}. */
export function processOpenerEnv(): OpenerEnv {
  return {
    os: Deno.build.os,
    env: (name) => {
      try {
        return Deno.env.get(name);
      } catch {
        return undefined;
      }
    },
    osRelease: () => Deno.osRelease(),
  };
}
