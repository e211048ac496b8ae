/**
 * Runs the real weep CLI (from source, under its real permission set) in a throw-away home, and checks that
 * no test secret ever reaches stderr.
 *
 * @module
 */

import { assert } from "./assert.ts";
import { weepRunArgs } from "../../scripts/weep_command.ts";

/** Values that must never appear on stderr; test servers register what they mint. */
export const TEST_SECRETS: Set<string> = new Set();

/** A temporary home directory, removed on dispose. */
export interface TempHome extends AsyncDisposable {
  /** The home directory (HOME). */
  home: string;
  /** `<home>/.aws`. */
  aws: string;
  /** `<home>/.aws/weep`. */
  weep: string;
  /** Writes `<home>/.aws/weep/weep.yaml`. */
  writeConfig(yaml: string): Promise<void>;
}

/** Creates a temporary HOME with an empty `.aws/weep` directory. */
export async function tempHome(): Promise<TempHome> {
  const home = await Deno.makeTempDir({ prefix: "weep-test-home-" });
  const aws = `${home}/.aws`;
  const weep = `${aws}/weep`;
  await Deno.mkdir(weep, { recursive: true, mode: 0o700 });
  return {
    home,
    aws,
    weep,
    writeConfig: (yaml) => Deno.writeTextFile(`${weep}/weep.yaml`, yaml),
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }),
  };
}

/** What a CLI run produced. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode runWeep}. */
export interface RunOptions {
  /** Extra environment variables (HOME is set from `home`). */
  env?: Record<string, string>;
  /** Text for stdin (default: none). */
  stdin?: string;
  /** Working directory. */
  cwd?: string;
  /** Extra paths the permission set lets weep read (mTLS certificate directories). */
  extraRead?: string[];
}

/** Deno's cache directory, so spawned processes with a temporary HOME find the modules already downloaded. */
export const DENO_DIR: string = Deno.env.get("DENO_DIR") ?? await (async () => {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
})();

/** The environment every spawned weep gets: a clean one, with HOME and no proxies or AWS settings. */
export function baseEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: home, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", NO_COLOR: "1", DENO_DIR, ...extra };
}

/** Runs `weep args…` from source under the real permission set, with HOME set to `home`. */
export async function runWeep(home: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  const env = baseEnv(home, options.env);
  const command = new Deno.Command(Deno.execPath(), {
    args: [...weepRunArgs(env, options.extraRead), ...args],
    env,
    clearEnv: true,
    cwd: options.cwd ?? home,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = command.spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const result = await child.output();
  const out = {
    code: result.code,
    stdout: new TextDecoder().decode(result.stdout),
    stderr: new TextDecoder().decode(result.stderr),
  };
  assertNoSecrets(out.stderr);
  return out;
}

/** Fails if `text` contains any registered test secret. */
export function assertNoSecrets(text: string): void {
  for (const secret of TEST_SECRETS) {
    assert(!text.includes(secret), "a test secret appeared on stderr");
  }
}

/**
 * Fails if `text` holds any piece of a registered test secret: any 16 characters of one (in steps of 8, so any
 * run of 24 or more is caught), and the whole of a shorter one. Catches a secret cut off, or escaped (`\/`).
 */
export function assertNoSecretFragments(text: string): void {
  for (const secret of TEST_SECRETS) {
    for (const part of secret.split("/")) {
      if (part.length < 16) {
        assert(part.length < 8 || !text.includes(part), "part of a test secret appeared");
        continue;
      }
      for (let at = 0; at + 16 <= part.length; at += 8) {
        assert(!text.includes(part.slice(at, at + 16)), "a piece of a test secret appeared");
      }
    }
  }
}

/** A weep process the test controls: its PID, signals, and what it has written to stderr so far. */
export interface RunningWeep extends AsyncDisposable {
  pid: number;
  kill(signal: Deno.Signal): void;
  /** Resolves once stderr contains `text`. */
  stderrHas(text: string): Promise<void>;
  /** Waits for the process to end; its exit code and output. */
  result(): Promise<CliResult>;
}

/**
 * Starts weep from source in `home` under its real permission set, with `extraEnv` added. `closeStdout`
 * closes the reading end of its stdout at once, like a reader that went away.
 */
export function spawnWeep(
  home: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  options: { closeStdout?: boolean } = {},
): RunningWeep {
  const env = baseEnv(home, extraEnv);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...weepRunArgs(env), ...args],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let stderr = "";
  let changed = Promise.withResolvers<void>();
  let stderrClosed = false;
  const reading = (async () => {
    for await (const chunk of child.stderr) {
      stderr += decoder.decode(chunk, { stream: true });
      changed.resolve();
      changed = Promise.withResolvers<void>();
    }
    stderrClosed = true;
    changed.resolve();
  })();
  const stdout = options.closeStdout
    ? child.stdout.cancel().then(() => "")
    : new Response(child.stdout).text();
  let ended: Promise<CliResult> | undefined;
  const result = () =>
    ended ??= (async () => {
      const status = await child.status;
      await reading;
      const out = { code: status.code, stdout: await stdout, stderr };
      assertNoSecrets(out.stderr);
      return out;
    })();
  return {
    pid: child.pid,
    kill: (signal) => child.kill(signal),
    async stderrHas(text) {
      // Once stderr is closed, `changed` stays resolved: the check comes first, or the loop would spin for ever.
      while (!stderr.includes(text)) {
        if (stderrClosed) throw new Error(`weep ended without writing "${text}":\n${stderr}`);
        await Promise.race([changed.promise, child.status.then(() => reading)]);
      }
    },
    result,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already ended.
      }
      await result();
    },
  };
}
