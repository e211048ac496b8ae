/**
 * A Netflix weep user whose config is still in ~/.weep/weep.yaml: weep may not read it, so it says where it
 * went and the exact command that moves it; run as printed, the command fixes it.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { logIn } from "../support/logged_in.ts";
import { requireTool, runTool } from "../support/tools.ts";
import { moveCommand, netflixConfigFiles } from "../../src/config/netflix.ts";

Deno.test("netflixConfigFiles and moveCommand name Netflix weep's places and quote what a shell would split", () => {
  assertEquals(netflixConfigFiles("/home/u", "linux"), [
    "/home/u/.weep/weep.yaml",
    "./weep.yaml",
    "/etc/weep/weep.yaml",
  ]);
  assertEquals(netflixConfigFiles("C:\\Users\\u", "windows"), [
    "C:\\Users\\u\\.weep\\weep.yaml",
    ".\\weep.yaml",
  ]);
  assertEquals(
    moveCommand("/home/a b/.weep/weep.yaml", "/home/a b/.aws/weep/weep.yaml", "darwin"),
    "mkdir -p '/home/a b/.aws/weep' && mv '/home/a b/.weep/weep.yaml' '/home/a b/.aws/weep/weep.yaml'",
  );
  assertEquals(
    moveCommand("C:\\Users\\u\\.weep\\weep.yaml", "C:\\Users\\u\\.aws\\weep\\weep.yaml", "windows"),
    'mkdir "C:\\Users\\u\\.aws\\weep" 2>nul & move "C:\\Users\\u\\.weep\\weep.yaml" "C:\\Users\\u\\.aws\\weep\\weep.yaml"',
  );
});

Deno.test("with only a Netflix weep config, weep names every old place and the command that moves it", async () => {
  const bash = await requireTool("bash");
  if (!bash) return;
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  await Deno.mkdir(`${home.home}/.weep`);
  await Deno.writeTextFile(
    `${home.home}/.weep/weep.yaml`,
    `consoleme_url: ${cm.url}\nchallenge_settings:\n  user: ${cm.settings.user}\n`,
  );
  for (const args of [["list"], ["credential_process", "test_account_user"], ["console", "-x", "x"]]) {
    const result = await runWeep(home.home, args);
    assertEquals([result.code, result.stdout], [1, ""], result.stderr);
    assertStringIncludes(
      result.stderr,
      `  Coming from Netflix weep? This weep reads ${home.weep}/weep.yaml, not ${home.home}/.weep/weep.yaml, ` +
        "./weep.yaml or /etc/weep/weep.yaml; move yours with:\n",
    );
  }
  const result = await runWeep(home.home, ["list"]);
  const command = result.stderr.split("\n").at(-2)!.trim();
  assertEquals(
    command,
    `mkdir -p ${home.weep} && mv ${home.home}/.weep/weep.yaml ${home.weep}/weep.yaml`,
  );
  const moved = await runTool(bash, ["-c", command]);
  assert(!("failed" in moved) && moved.code === 0, JSON.stringify(moved));
  await logIn(home, cm);
  const list = await runWeep(home.home, ["list", "-s"]);
  assertEquals(list.code, 0, list.stderr);
  assertStringIncludes(list.stdout, "arn:aws:iam::");
});
