import { weepPermissionFlags } from "../../scripts/weep_command.ts";
import { assertEquals } from "../support/assert.ts";
import { baseEnv, tempHome } from "../support/cli.ts";

const PROBE = new URL("../support/sandbox_probe.ts", import.meta.url).pathname;

async function probe(env: Record<string, string>, ops: string[]): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...weepPermissionFlags(env), PROBE, ...ops],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(output.stdout).trim().split("\n");
}

Deno.test("weep's permission set allows ~/.aws and refuses files outside it", async () => {
  await using home = await tempHome();
  const outside = await Deno.makeTempDir({ prefix: "weep-outside-" });
  try {
    const lines = await probe(baseEnv(home.home), [
      `write:${home.weep}/probe.txt`,
      `read:${home.weep}/probe.txt`,
      `mkdir:${home.weep}/cache`,
      `write:${home.aws}/config`,
      "read:/etc/hostname",
      `write:${outside}/x.txt`,
      `read:${home.home}/.bashrc`,
    ]);
    assertEquals(lines, [
      `write ${home.weep}/probe.txt ok`,
      `read ${home.weep}/probe.txt ok`,
      `mkdir ${home.weep}/cache ok`,
      `write ${home.aws}/config ok`,
      "read /etc/hostname denied",
      `write ${outside}/x.txt denied`,
      `read ${home.home}/.bashrc denied`,
    ]);
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("AWS_CONFIG_FILE outside ~/.aws is granted, with its temp file, and nothing else beside it", async () => {
  await using home = await tempHome();
  const outside = await Deno.makeTempDir({ prefix: "weep-outside-" });
  try {
    const env = baseEnv(home.home, { AWS_CONFIG_FILE: `${outside}/config` });
    const lines = await probe(env, [
      `write:${outside}/config`,
      `write:${outside}/config.weep-tmp`,
      `write:${outside}/other`,
    ]);
    assertEquals(lines, [
      `write ${outside}/config ok`,
      `write ${outside}/config.weep-tmp ok`,
      `write ${outside}/other denied`,
    ]);
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});
