/**
 * A real terminal for tests of interactive weep: a detached tmux session (its own server socket) runs weep
 * from source under its permission set. Keys go in with `send-keys`, the screen comes out with `capture-pane`.
 * stdout goes to a file (as under `eval "$(weep export)"`); stdin and stderr are the terminal. The pane stays
 * after weep exits, so its last screen can still be read.
 *
 * @module
 */

import { quotePosix as shQuote } from "../../src/text/shlex.ts";
import { weepRunArgs } from "../../scripts/weep_command.ts";
import { baseEnv } from "./cli.ts";
import { requireTool, runTool } from "./tools.ts";

/** weep running in a tmux pane. */
export interface Terminal extends AsyncDisposable {
  /** Types `text` literally. */
  type(text: string): Promise<void>;
  /** Presses tmux keys by name (`Down`, `Enter`, `Escape`, `C-c`). */
  press(...keys: string[]): Promise<void>;
  /** The screen as text, one line per row, trailing blanks trimmed. */
  screen(): Promise<string>;
  /** Waits (up to 20 s) until the screen matches `pattern`; returns the screen. */
  waitFor(pattern: string | RegExp): Promise<string>;
  /** Waits (up to 60 s) for weep to exit: its exit code and what it wrote to stdout. */
  exited(): Promise<{ code: number; stdout: string }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `weep args…` in a new tmux session with HOME `home` (and `env`), or returns `undefined` after
 * {@linkcode requireTool} has said why tmux is missing. With `stdout: "terminal"`, stdout is the terminal too
 * (read it from the screen; `exited()` then gives an empty `stdout`).
 */
export async function weepInTerminal(
  home: string,
  args: string[],
  env: Record<string, string> = {},
  options: { stdout?: "file" | "terminal" } = {},
): Promise<Terminal | undefined> {
  const tmux = await requireTool("tmux");
  if (!tmux) return undefined;
  const dir = await Deno.makeTempDir({ prefix: "weep-tty-" });
  const socket = `${dir}/tmux.sock`;
  const vars = baseEnv(home, env);
  const argv = [Deno.execPath(), ...weepRunArgs(vars), ...args];
  const line =
    `cd ${shQuote(home)} && env -i ${Object.entries(vars).map(([k, v]) => shQuote(`${k}=${v}`)).join(" ")} ` +
    `${argv.map(shQuote).join(" ")}${
      options.stdout === "terminal" ? "" : ` > ${shQuote(`${dir}/stdout`)}`
    }; echo $? > ${shQuote(`${dir}/code`)}; sleep 120`;
  const run = async (...tmuxArgs: string[]) => {
    const result = await runTool(tmux, ["-S", socket, "-f", "/dev/null", ...tmuxArgs], {
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", SHELL: "/bin/sh", TERM: "xterm-256color" },
    });
    if ("failed" in result || result.code !== 0) {
      throw new Error(`tmux ${tmuxArgs[0]}: ${JSON.stringify(result)}`);
    }
    return result.stdout;
  };
  await run("new-session", "-d", "-x", "120", "-y", "30", "-s", "weep", line);
  const screen = async () =>
    (await run("capture-pane", "-p", "-t", "weep")).replace(/[ \t]+$/gm, "").trimEnd();
  return {
    type: async (text) => void await run("send-keys", "-t", "weep", "-l", text),
    press: async (...keys) => void await run("send-keys", "-t", "weep", ...keys),
    screen,
    async waitFor(pattern) {
      let last = "";
      for (const started = Date.now(); Date.now() - started < 20_000; await sleep(50)) {
        last = await screen().catch(() => last);
        if (typeof pattern === "string" ? last.includes(pattern) : pattern.test(last)) return last;
      }
      throw new Error(`the screen never showed ${pattern}; it shows:\n${last}`);
    },
    async exited() {
      for (const started = Date.now(); Date.now() - started < 60_000; await sleep(50)) {
        const code = await Deno.readTextFile(`${dir}/code`).catch(() => "");
        if (code.endsWith("\n")) {
          const stdout = await Deno.readTextFile(`${dir}/stdout`).catch(() => "");
          return { code: Number(code), stdout };
        }
      }
      throw new Error(
        `weep ${args.join(" ")} did not exit; the screen shows:\n${await screen().catch(() => "")}`,
      );
    },
    async [Symbol.asyncDispose]() {
      await runTool(tmux, ["-S", socket, "kill-server"]);
      await Deno.remove(dir, { recursive: true });
    },
  };
}
