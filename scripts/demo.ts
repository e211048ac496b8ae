/**
 * `deno task demo`: weep's main job, end to end, on this machine only. It starts the test ConsoleMe (and moto's
 * STS when installed) on loopback, makes a throw-away HOME (your `~/.aws` is never read or written), installs
 * `weep` there as a shim with its real permission set, writes the seed's three `credential_process` profiles,
 * runs `weep credential_process` for each (approving the login the way your browser would, when weep asks),
 * and, where the AWS CLI is installed, `aws --profile test_account_user sts get-caller-identity`. Secrets are
 * masked. Exits 1 if any step failed.
 *
 * @module
 */

import { memoryOutput } from "../src/platform/output.ts";
import { DENO_DIR } from "../tests/support/cli.ts";
import { approveInBrowser, type ConsoleMeServer, startConsoleMe } from "../tests/support/consoleme_server.ts";
import { findMoto, type MotoServer, startMoto } from "../tests/support/moto.ts";
import { quietTools, toolPath } from "../tests/support/tools.ts";
import { installWeep } from "./install.ts";
import { ROOT } from "./weep_command.ts";

/** The seed's profiles: name and the role argument weep is given. */
export const DEMO_PROFILES: readonly (readonly [string, string])[] = [
  ["consoleme_oss_1", "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin"],
  ["consoleme_oss_2", "consoleme_oss_2_test_admin"],
  ["test_account_user", "test_account_user"],
];

const USER = "user@example.com";
const CHILD_TIMEOUT_MS = 20_000;

/** Shows the first four characters of a key and how long it is: `ASIA… (20 chars)`. */
export function maskKey(value: string): string {
  return `${value.slice(0, 4)}... (${value.length} chars)`;
}

/** `2026-11-28T19:30:00Z (in 60 min)`. */
export function describeExpiry(iso: string, now: Date): string {
  const minutes = Math.round((Date.parse(iso) - now.getTime()) / 60_000);
  return `${iso} (in ${minutes} min)`;
}

/** The `~/.aws/config` text: each seed profile runs `weep` by its absolute path. */
export function demoConfig(weep: string): string {
  const command = /\s/.test(weep) ? `"${weep}"` : weep;
  return DEMO_PROFILES.map(([name, role]) =>
    `[profile ${name}]\ncredential_process = ${command} credential_process ${role}\n`
  ).join("\n");
}

const encoder = new TextEncoder();
function print(line = ""): void {
  Deno.stdout.writeSync(encoder.encode(line + "\n"));
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with exactly `env`; `onLine` sees each stderr line as it comes. */
async function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  onLine?: (line: string) => void,
) {
  const child = new Deno.Command(command, {
    args,
    env,
    clearEnv: true,
    cwd: env.HOME ?? Deno.cwd(),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(CHILD_TIMEOUT_MS),
  }).spawn();
  const decoder = new TextDecoder();
  let stderr = "";
  const readErr = (async () => {
    let buffer = "";
    for await (const chunk of child.stderr) {
      const text = decoder.decode(chunk, { stream: true });
      stderr += text;
      buffer += text;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) onLine?.(line);
    }
  })();
  const stdout = new Response(child.stdout).text();
  const [status, out] = await Promise.all([child.status, stdout, readErr]);
  return { code: status.code, stdout: out, stderr } satisfies Run;
}

/** Runs the demo; returns the exit code. */
export async function main(): Promise<number> {
  const started = Date.now();
  let step = 0;
  let failed = 0;
  const cleanups: (() => Promise<void>)[] = [];
  const ok = (text: string) => print(`    [ok] ${text}`);
  const fail = (text: string) => {
    failed++;
    print(`    [fail] ${text}`);
  };
  const skip = (text: string) => print(`    [skip] ${text}`);
  const title = (text: string) => print(`\n${++step}. ${text}`);
  const detail = (text: string) => print(`         ${text}`);

  print("weep demo: credential_process for the AWS CLI and SDKs, end to end, on 127.0.0.1 only");
  try {
    title("Start moto's STS (the AWS side)");
    let moto: MotoServer | undefined;
    const how = await findMoto();
    if ("reason" in how) skip(`${how.reason}; ConsoleMe will mint credentials itself`);
    else {
      try {
        moto = await startMoto();
        if (moto) cleanups.push(() => moto!.close());
        ok(`STS at ${moto?.url}`);
      } catch (error) {
        fail(
          `${error instanceof Error ? error.message : String(error)}; ConsoleMe will mint credentials itself`,
        );
      }
    }

    title("Start the test ConsoleMe");
    const cm: ConsoleMeServer = await startConsoleMe(moto ? { sts: moto.url } : {});
    cleanups.push(() => cm.close());
    ok(`ConsoleMe at ${cm.url} (user ${USER}; logins are approved below, as your browser would)`);

    title("Make a throw-away HOME and install weep there");
    const home = await Deno.makeTempDir({ prefix: "weep-demo-" });
    cleanups.push(() => Deno.remove(home, { recursive: true }));
    const installEnv: Record<string, string> = { HOME: home, DENO_INSTALL_ROOT: `${home}/.deno` };
    const installed = await installWeep({ shim: true, help: false }, {
      root: ROOT,
      run: () => Promise.reject(new Error("a shim install runs no program")),
      output: memoryOutput().output,
      env: (name) => installEnv[name],
      os: Deno.build.os,
      now: () => new Date(),
    });
    ok(`HOME=${home} (your own ~/.aws is not touched)`);
    detail(`weep: ${installed.path} (a shim that runs this checkout with weep's permission set)`);

    title("Write ~/.aws/weep/weep.yaml and the seed's profiles into ~/.aws/config");
    await Deno.writeTextFile(
      `${home}/.aws/weep/weep.yaml`,
      `consoleme_url: ${cm.url}\nchallenge_settings:\n  user: ${USER}\n`,
    );
    const config = demoConfig(installed.path);
    await Deno.writeTextFile(`${home}/.aws/config`, config, { mode: 0o600 });
    ok(`${home}/.aws/config:`);
    for (const line of config.split("\n").filter(Boolean)) detail(`  ${line}`);

    const env: Record<string, string> = {
      HOME: home,
      PATH: `${home}/.deno/bin:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      DENO_DIR,
      NO_COLOR: "1",
      AWS_CONFIG_FILE: `${home}/.aws/config`,
      AWS_SHARED_CREDENTIALS_FILE: `${home}/.aws/credentials`,
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_PAGER: "",
    };
    const approved = new Set<string>();
    const approvals: Promise<void>[] = [];
    // weep prints the login page's URL on stderr; the "browser" opens it and clicks Approve.
    const browser = (line: string) => {
      const url = line.match(/https?:\/\/\S+\/challenge_validator\/[\w-]+/)?.[0];
      if (!url || approved.has(url)) return;
      approved.add(url);
      detail(`weep asks for a login: ${url}`);
      approvals.push(
        approveInBrowser(url, USER).then((result) => {
          detail(
            result.approved ? `browser: approved as ${USER}` : `browser: not approved: ${result.message}`,
          );
        }),
      );
    };

    for (const [profile, role] of DEMO_PROFILES) {
      title(`weep credential_process ${role}   (profile ${profile})`);
      const before = cm.minted.length;
      const result = await run(installed.path, ["credential_process", role], env, browser);
      await Promise.all(approvals.splice(0));
      let printed: Record<string, unknown> | undefined;
      try {
        printed = JSON.parse(result.stdout);
      } catch {
        printed = undefined;
      }
      const minted = cm.minted[before];
      if (result.code !== 0 || printed?.Version !== 1 || typeof printed.AccessKeyId !== "string") {
        fail(`exit ${result.code}: ${result.stderr.trim().split("\n").join(" | ") || "no output"}`);
        continue;
      }
      ok(`role ${minted?.roleArn ?? "(from weep's cache)"}`);
      detail(`expires ${describeExpiry(String(printed.Expiration), new Date())}`);
      detail(
        `AccessKeyId ${maskKey(printed.AccessKeyId)}; SecretAccessKey and SessionToken masked ` +
          `(${String(printed.SecretAccessKey).length} and ${String(printed.SessionToken).length} chars)`,
      );
    }

    title("aws --profile test_account_user sts get-caller-identity");
    const aws = await toolPath("AWS CLI v2") ?? await toolPath("AWS CLI v1");
    if (!aws) skip("the AWS CLI is not installed");
    else if (!moto) skip("needs moto_server for a local STS");
    else {
      const result = await run(
        aws,
        ["--profile", "test_account_user", "sts", "get-caller-identity", "--endpoint-url", moto.url],
        env,
      );
      let arn: string | undefined;
      try {
        arn = result.code === 0 ? JSON.parse(result.stdout).Arn : undefined;
      } catch {
        arn = undefined;
      }
      if (arn) {
        ok(`the AWS CLI ran weep and STS says: ${arn}`);
        detail(`(${aws}, STS at ${moto.url})`);
      } else fail(`exit ${result.code}: ${result.stderr.trim().split("\n").join(" | ")}`);
    }
  } catch (error) {
    fail(`the demo stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  print(
    `\n${failed ? `[fail] ${failed} step(s) failed` : "[ok] every step passed"} in ${seconds} s; cleaned up`,
  );
  return failed ? 1 : 0;
}

if (import.meta.main) {
  // The demo names the AWS CLI it ran in its own step.
  quietTools();
  Deno.exit(await main());
}
