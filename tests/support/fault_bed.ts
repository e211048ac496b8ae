/**
 * A test bed for weep against a failing ConsoleMe: the test ConsoleMe, a logged-in home with weep installed
 * as the AWS CLI would run it (`interopHome`), a short `server.http_timeout`, and helpers to seed, age and
 * inspect the credential cache and to time what weep and the AWS CLI do.
 *
 * @module
 */

import { assert, assertEquals } from "./assert.ts";
import { type CliResult, type RunningWeep, runWeep, spawnWeep } from "./cli.ts";
import { type ConsoleMeServer, type ConsoleMeServerOptions, startConsoleMe } from "./consoleme_server.ts";
import { type InteropHome, interopHome, runClean } from "../interop/interop_home.ts";

/** The role every fault test asks for (a profile of the same name is in `~/.aws/config`). */
export const ROLE = "test_account_user";
/** `server.http_timeout` in the bed, in seconds. */
export const HTTP_TIMEOUT_S = 2;

/** A run of weep or the AWS CLI, and how long it took. */
export interface TimedResult extends CliResult {
  ms: number;
}

/** One cache entry as weep stores it (`~/.aws/weep/cache/<id>.json`). */
export interface StoredEntry {
  file: string;
  text: string;
  accessKeyId: string;
  expiration: string;
}

/** The bed. */
export interface FaultBed extends AsyncDisposable {
  cm: ConsoleMeServer;
  interop: InteropHome;
  /** `~/.aws/weep`. */
  weepDir: string;
  /** The environment weep and the AWS CLI run with (`WEEP_SERVER_HTTP_TIMEOUT` set). */
  env: Record<string, string>;
  /** Runs `weep credential_process ROLE` (plus `args`) from source, with `extraEnv` added. */
  weep(args?: string[], extraEnv?: Record<string, string>): Promise<TimedResult>;
  /** Starts `weep credential_process ROLE` (plus `args`) without waiting for it. */
  spawn(args?: string[], extraEnv?: Record<string, string>): RunningWeep;
  /** Runs `aws configure export-credentials --profile ROLE` with the AWS CLI at `aws`. */
  aws(aws: string): Promise<TimedResult>;
  /** The cache entries on disk. */
  entries(): Promise<StoredEntry[]>;
  /** Fetches credentials once, then ages the entry: fetched 50 minutes ago, `leftMinutes` (10) to go. */
  seedStale(leftMinutes?: number): Promise<StoredEntry>;
  /** How many credential requests reached ConsoleMe. */
  requests(): number;
}

/** Starts the bed; `options` go to the test ConsoleMe. */
export async function faultBed(options: ConsoleMeServerOptions = {}): Promise<FaultBed> {
  const cm = await startConsoleMe(options);
  const interop = await interopHome(cm, "http://127.0.0.1:9");
  const env = { ...interop.env, WEEP_SERVER_HTTP_TIMEOUT: String(HTTP_TIMEOUT_S) };
  const weepDir = interop.home.weep;
  const timed = async (run: () => Promise<CliResult>): Promise<TimedResult> => {
    const started = performance.now();
    const result = await run();
    return { ...result, ms: performance.now() - started };
  };
  const entries = async (): Promise<StoredEntry[]> => {
    const found: StoredEntry[] = [];
    try {
      for await (const item of Deno.readDir(`${weepDir}/cache`)) {
        if (!item.isFile || !item.name.endsWith(".json")) continue;
        const text = await Deno.readTextFile(`${weepDir}/cache/${item.name}`);
        const data = JSON.parse(text);
        found.push({
          file: item.name,
          text,
          accessKeyId: data.credentials.AccessKeyId,
          expiration: data.credentials.Expiration,
        });
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return found;
  };
  const bed: FaultBed = {
    cm,
    interop,
    weepDir,
    env,
    weep: (args = [], extraEnv = {}) =>
      timed(() =>
        runWeep(interop.home.home, ["credential_process", ...args, ROLE], {
          env: { ...weepEnv(env), ...extraEnv },
        })
      ),
    spawn: (args = [], extraEnv = {}) =>
      spawnWeep(interop.home.home, ["credential_process", ...args, ROLE], { ...weepEnv(env), ...extraEnv }),
    aws: (aws) =>
      timed(() =>
        runClean(aws, ["configure", "export-credentials", "--profile", ROLE, "--format", "process"], env)
      ),
    entries,
    async seedStale(leftMinutes = 10) {
      const first = await bed.weep();
      assertEquals(first.code, 0, first.stderr);
      const [entry] = await entries();
      assert(entry, "weep stored no cache entry");
      const path = `${weepDir}/cache/${entry.file}`;
      const data = JSON.parse(entry.text);
      const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
      data.fetchedAt = iso(Date.now() - 50 * 60_000);
      data.credentials.Expiration = iso(Date.now() + leftMinutes * 60_000);
      await Deno.writeTextFile(path, JSON.stringify(data) + "\n");
      cm.clearRequests();
      return (await entries())[0]!;
    },
    requests: () => cm.count("/api/v1/get_credentials"),
    async [Symbol.asyncDispose]() {
      await cm.close();
      await interop[Symbol.asyncDispose]();
    },
  };
  return bed;
}

/** What `runWeep` adds on its own (HOME, PATH, DENO_DIR, NO_COLOR) is left out of `env`. */
function weepEnv(env: Record<string, string>): Record<string, string> {
  const { HOME: _home, PATH: _path, DENO_DIR: _dir, NO_COLOR: _colour, ...rest } = env;
  return rest;
}

/** stdout holds nothing, or exactly one `credential_process` JSON document. */
export function assertCleanStdout(stdout: string): void {
  if (stdout === "") return;
  const data = JSON.parse(stdout);
  assertEquals(data.Version, 1, "credential_process JSON has Version 1");
  for (const field of ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]) {
    assert(typeof data[field] === "string" && data[field] !== "", `stdout JSON has ${field}`);
  }
}

/** Fails unless `result` took less than `ms`. */
export function assertWithin(result: { ms: number }, ms: number, what: string): void {
  assert(result.ms < ms, `${what} took ${Math.round(result.ms)} ms, more than ${ms} ms`);
}
