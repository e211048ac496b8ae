/**
 * What the size of `~/.aws/config` costs AWS tools when they start, for `deno task bench`: the AWS CLI v2
 * running `sts get-caller-identity`, and a Python program creating a boto3 session and making the same call,
 * each against moto's STS on loopback. Every config holds the one profile the call uses (static keys, so
 * that only the reading of the file differs) plus N profiles `weep generate` wrote. Configs are measured
 * side by side: each round runs every config once, in turn.
 *
 * The programs are found the way the tests find them (`tests/support/tools.ts`); when one is missing its
 * column says why.
 *
 * @module
 */

import { startMoto } from "../tests/support/moto.ts";
import { findTool } from "../tests/support/tools.ts";
import { median, once } from "./bench_run.ts";

/** The profile every measured call uses; moto accepts any keys. */
export const BENCH_PROFILE =
  "[profile bench]\naws_access_key_id = testing\naws_secret_access_key = testing\n" +
  "region = us-east-1\n\n";

/** The clients measured, in table order. */
export const CLIENTS = ["AWS CLI v2", "boto3"] as const;
/** One of {@linkcode CLIENTS}. */
export type Client = typeof CLIENTS[number];

/** A config file to measure. */
export interface ConfigCase {
  label: string;
  path: string;
}

/** Median start-to-exit time per client and config (`undefined` for a client that is not installed). */
export type ClientTimes = Record<Client, Map<string, number> | undefined>;

/** The clients' commands and the STS they call; dispose to stop moto. */
export interface ClientBench extends AsyncDisposable {
  /** Why a client is missing. */
  missing: Partial<Record<Client, string>>;
  /** The version line of each client that was found. */
  versions: Partial<Record<Client, string>>;
  /** Runs every config `rounds` times per client, in turn, after one warm-up round; medians. */
  measure(configs: readonly ConfigCase[], env: Record<string, string>, rounds: number): Promise<ClientTimes>;
}

const decoder = new TextDecoder();

/** Finds the AWS CLI v2, Python with boto3 and moto, and starts moto; what it cannot find is `missing`. */
export async function clientBench(): Promise<ClientBench> {
  const missing: Partial<Record<Client, string>> = {};
  const versions: Partial<Record<Client, string>> = {};
  const aws = await findTool("AWS CLI v2");
  const python = await findTool("python3 with boto3 and moto");
  const moto = "path" in python ? await startMoto() : undefined;
  const commands: Partial<Record<Client, string[]>> = {};
  if (!moto) {
    const reason = "reason" in python ? python.reason : "moto did not start";
    missing["AWS CLI v2"] = missing.boto3 = `no local STS (python with moto: ${reason})`;
  } else {
    if ("path" in aws) {
      commands["AWS CLI v2"] = [
        aws.path,
        "--profile",
        "bench",
        "--endpoint-url",
        moto.url,
        "sts",
        "get-caller-identity",
      ];
      const out = await new Deno.Command(aws.path, { args: ["--version"], stdout: "piped" }).output();
      versions["AWS CLI v2"] = decoder.decode(out.stdout).split(" ")[0] ?? "";
    } else missing["AWS CLI v2"] = aws.reason;
    if ("path" in python) {
      const script = "import sys, boto3; boto3.Session(profile_name='bench').client('sts', " +
        "endpoint_url=sys.argv[1]).get_caller_identity()";
      commands.boto3 = [python.path, "-c", script, moto.url];
      const out = await new Deno.Command(python.path, {
        args: ["-c", "import boto3, sys; print(boto3.__version__, sys.version.split()[0])"],
        stdout: "piped",
      }).output();
      const [boto3, py] = decoder.decode(out.stdout).trim().split(" ");
      versions.boto3 = `boto3/${boto3} Python/${py}`;
    }
  }
  // One row per program: a client whose program resolves to one already measured (a link, a second name on
  // PATH) is not measured twice.
  const measured = new Map<string, Client>();
  for (const client of CLIENTS) {
    const program = commands[client]?.[0];
    if (program === undefined) continue;
    const real = await Deno.realPath(program).catch(() => program);
    const same = measured.get(real);
    if (same !== undefined) {
      delete commands[client];
      missing[client] = `the same program as ${same} (${real})`;
    } else measured.set(real, client);
  }
  return {
    missing,
    versions,
    async measure(configs, env, rounds) {
      const times: ClientTimes = { "AWS CLI v2": undefined, boto3: undefined };
      for (const client of CLIENTS) {
        const cmd = commands[client];
        if (!cmd) continue;
        const samples = new Map<string, number[]>(configs.map((c) => [c.label, []]));
        for (let round = -1; round < rounds; round++) {
          for (const config of configs) {
            const sample = await once(cmd, { ...env, AWS_CONFIG_FILE: config.path, AWS_PAGER: "" });
            if (round >= 0) samples.get(config.label)!.push(sample.ms);
          }
        }
        times[client] = new Map([...samples].map(([label, xs]) => [label, median(xs)]));
      }
      return times;
    },
    [Symbol.asyncDispose]: async () => await moto?.close(),
  };
}
