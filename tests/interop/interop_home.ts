/**
 * A throw-away home for interop tests: weep configured for a test ConsoleMe and logged in, `weep` installed as
 * a shim (by `deno task install --shim`'s own code, so it carries the real permission set), the seed's
 * profiles in `~/.aws/config`, and the clean environment an AWS client gets.
 *
 * @module
 */

import { installWeep } from "../../scripts/install.ts";
import { parseShellShim } from "../../scripts/install_plan.ts";
import { ROOT } from "../../scripts/weep_command.ts";
import { memoryOutput } from "../../src/platform/output.ts";
import { assert } from "../support/assert.ts";
import { DENO_DIR, type TempHome } from "../support/cli.ts";
import type { ConsoleMeServer } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";

/** The seed's three profiles, plus one whose search string matches two roles. */
export const SEED_CONFIG = `[profile consoleme_oss_1]
credential_process = weep credential_process arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin
[profile consoleme_oss_2]
credential_process = weep credential_process consoleme_oss_2_test_admin
[profile test_account_user]
credential_process = weep credential_process test_account_user
[profile ambiguous]
credential_process = weep credential_process consoleme_oss_1
`;

/** Each seed profile and the identity STS reports for the credentials weep gets for it. */
export const SEED_IDENTITIES: Readonly<Record<string, string>> = {
  consoleme_oss_1: "arn:aws:sts::012345678901:assumed-role/consoleme_oss_1_test_admin/user@example.com",
  consoleme_oss_2: "arn:aws:sts::012345678902:assumed-role/consoleme_oss_2_test_admin/user@example.com",
  test_account_user: "arn:aws:sts::012345678903:assumed-role/test_account_user/user@example.com",
};

/** A home with weep installed on its PATH. */
export interface InteropHome extends AsyncDisposable {
  home: TempHome;
  /** The installed `weep` shim. */
  weep: string;
  /** The environment for an AWS client: nothing from this process but PATH (with weep first) and DENO_DIR. */
  env: Record<string, string>;
}

/** Creates the home, installs the shim and writes the profiles; `stsUrl` is moto's URL. */
export async function interopHome(cm: ConsoleMeServer, stsUrl: string): Promise<InteropHome> {
  const home = await loggedInHome(cm);
  const installRoot = `${home.home}/.deno`;
  const installEnv: Record<string, string> = { HOME: home.home, DENO_INSTALL_ROOT: installRoot };
  const record = await installWeep({ shim: true, help: false }, {
    root: ROOT,
    run: () => Promise.reject(new Error("a shim install runs no program")),
    output: memoryOutput().output,
    env: (name) => installEnv[name],
    os: Deno.build.os,
    now: () => new Date(),
  });
  assert(
    record.kind === "shim" && record.path === `${installRoot}/bin/weep`,
    `unexpected install ${record.path}`,
  );
  // The shim runs weep under the permission set of this home, as `deno task install` gives a user.
  const argv = parseShellShim(await Deno.readTextFile(record.path));
  assert(argv.includes(`--allow-write=${home.aws}`), `the shim does not carry the permission set: ${argv}`);
  assert(argv.includes("--no-prompt"), "the shim must never prompt");
  await Deno.writeTextFile(`${home.aws}/config`, SEED_CONFIG);
  const env = {
    HOME: home.home,
    PATH: `${installRoot}/bin:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    DENO_DIR,
    NO_COLOR: "1",
    AWS_CONFIG_FILE: `${home.aws}/config`,
    AWS_SHARED_CREDENTIALS_FILE: `${home.aws}/credentials`,
    AWS_REGION: "us-east-1",
    // AWS CLI v1 reads only the older name.
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_ENDPOINT_URL_STS: stsUrl,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
  };
  return { home, weep: record.path, env, [Symbol.asyncDispose]: () => home[Symbol.asyncDispose]() };
}

/**
 * Runs a program with exactly `env` (no inherited CA bundles or AWS settings), in `cwd` (default: `env.HOME`);
 * returns what it printed.
 */
export async function runClean(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string = env.HOME ?? Deno.cwd(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(command, {
    args,
    env,
    clearEnv: true,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}
