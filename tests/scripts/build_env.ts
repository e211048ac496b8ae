/**
 * Helpers for the build and install tests: a throw-away copy of the repository (so builds never touch the shared
 * checkout), the Deno cache to share with child processes, and whether `deno compile` works on this machine.
 *
 * The compiled-binary tests run where `deno compile` can fetch its runtime. `WEEP_TEST_COMPILE=1` makes them
 * required (CI's compile job sets it, so a broken download fails instead of skipping), `WEEP_TEST_COMPILE=0` skips
 * them, and otherwise one small probe compile decides, and the skip reason is printed.
 *
 * @module
 */

import { explainCompileFailure, fileUrlToPath } from "../../scripts/compile_plan.ts";

/** The repository under test. */
export const REPO: string = fileUrlToPath(new URL("../..", import.meta.url));

/** A temporary copy of the repository's build inputs, removed on dispose. */
export interface RepoCopy extends AsyncDisposable {
  root: string;
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = `${from}/${entry.name}`;
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory) await copyTree(source, target);
    else if (entry.isFile) await Deno.copyFile(source, target);
  }
}

/** Copies `deno.json`, `deno.lock`, `src/` and `scripts/` to a temporary directory. */
export async function copyRepo(): Promise<RepoCopy> {
  const root = await Deno.makeTempDir({ prefix: "weep-repo-" });
  for (const file of ["deno.json", "deno.lock"]) await Deno.copyFile(`${REPO}/${file}`, `${root}/${file}`);
  for (const dir of ["src", "scripts"]) await copyTree(`${REPO}/${dir}`, `${root}/${dir}`);
  return { root, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

/** The Deno cache directory of this process, for children that get another HOME. */
export async function denoDir(): Promise<string> {
  const result = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  return (JSON.parse(new TextDecoder().decode(result.stdout)) as { denoDir: string }).denoDir;
}

/** Whether the compiled-binary tests run here, and why not when they do not. */
export interface CompileProbe {
  available: boolean;
  reason: string;
}

async function probe(): Promise<CompileProbe> {
  const flag = Deno.env.get("WEEP_TEST_COMPILE");
  if (flag === "1") return { available: true, reason: "WEEP_TEST_COMPILE=1" };
  if (flag === "0") return { available: false, reason: "WEEP_TEST_COMPILE=0" };
  const dir = await Deno.makeTempDir({ prefix: "weep-probe-" });
  try {
    await Deno.writeTextFile(`${dir}/probe.ts`, "export {};\n");
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["compile", "--no-check", "--output", `${dir}/probe`, `${dir}/probe.ts`],
      stdout: "null",
      stderr: "piped",
      signal: AbortSignal.timeout(180_000),
    }).output();
    if (result.success) return { available: true, reason: "deno compile works here" };
    const reason = explainCompileFailure("host", new TextDecoder().decode(result.stderr)).message;
    return { available: false, reason: reason.replace(/^Cannot build weep for "host": /, "") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

let cached: Promise<CompileProbe> | undefined;

/** Probes `deno compile` once per test process; prints the reason when compiled-binary tests are skipped. */
export function compileProbe(): Promise<CompileProbe> {
  cached ??= probe().then((result) => {
    if (!result.available) {
      Deno.stderr.writeSync(
        new TextEncoder().encode(
          `compiled-binary tests skipped: ${result.reason} (set WEEP_TEST_COMPILE=1 to require them)\n`,
        ),
      );
    }
    return result;
  });
  return cached;
}
