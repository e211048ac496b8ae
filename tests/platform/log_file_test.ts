/**
 * `--log-file FILE` and the `log_file` key through the real CLI: log lines go to the file where weep may write,
 * and anywhere else one warning and nothing else changes.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";

const EMPTY = "info: The credential cache is empty\ninfo: No stored login\n";

Deno.test("--log-file under ~/.aws/weep gets every log line, timestamped, in a new 0600 file; stderr too", async () => {
  await using home = await tempHome();
  const path = `${home.weep}/logs/weep.log`;
  const first = await runWeep(home.home, ["--log-file", path, "cache", "list"]);
  assertEquals([first.code, first.stdout, first.stderr], [0, "", EMPTY]);
  const logged = await Deno.readTextFile(path);
  assertMatch(
    logged,
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: The credential cache is empty\n\S+Z info: No stored login\n$/,
  );
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(`${home.weep}/logs`)).mode! & 0o777, 0o700);
  }
  // Appended, never truncated; JSON lines with --log-format json; the key in weep.yaml does the same.
  await home.writeConfig("log_file: ~/.aws/weep/logs/weep.log\nnot_a_key: 1\n");
  const json = await runWeep(home.home, ["--log-format", "json", "config"]);
  assertEquals(json.code, 0, json.stderr);
  const lines = (await Deno.readTextFile(path)).split("\n").filter(Boolean);
  assertEquals(lines.length, 3);
  assert(lines.slice(0, 2).join("\n") + "\n" === logged, "the earlier lines are kept");
  assertEquals(
    JSON.parse(lines[2]!).msg,
    `Unknown config key "not_a_key" in "${home.weep}/weep.yaml" is ignored`,
  );
});

Deno.test("--log-file where weep may not write, or on a link, warns once and carries on", async () => {
  await using home = await tempHome();
  const outside = `${home.home}/weep.log`;
  const denied = await runWeep(home.home, ["--log-file", outside, "cache", "list"]);
  assertEquals([denied.code, denied.stdout], [0, ""], denied.stderr);
  assertEquals(
    denied.stderr,
    `warning: Cannot write the log file "${outside}": weep may write only under ~/.aws (try ~/.aws/weep/weep.log); ` +
      "logging to stderr only\n" + EMPTY,
  );
  assertEquals(await Deno.stat(outside).catch(() => undefined), undefined);

  if (Deno.build.os === "windows") return;
  const target = `${home.weep}/target.txt`;
  await Deno.writeTextFile(target, "keep\n");
  await Deno.symlink(target, `${home.weep}/link.log`);
  const linked = await runWeep(home.home, ["--log-file", `${home.weep}/link.log`, "cache", "list"]);
  assertEquals(linked.code, 0, linked.stderr);
  assertStringIncludes(
    linked.stderr,
    `"${home.weep}/link.log": it is a symbolic link; logging to stderr only`,
  );
  assertEquals(await Deno.readTextFile(target), "keep\n");
});
