import { assertEquals } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { runInProcess } from "../support/in_process.ts";
import { HELP_TEXT_FILE, helpModule, renderHelp } from "../../scripts/help_text.ts";
import { VERSION } from "../../src/version.ts";

Deno.test("src/cli/help_text.ts holds the help the command tree renders now (else: deno task help-text)", async () => {
  assertEquals(await Deno.readTextFile(HELP_TEXT_FILE), helpModule(await renderHelp()));
});

Deno.test("weep --help, -h, help and no arguments print the command tree's help byte for byte", async () => {
  await using home = await tempHome();
  const tree = await runInProcess(home.home, ["--help"]);
  assertEquals(tree.code, 0);
  for (const args of [["--help"], ["-h"], ["help"], []]) {
    const result = await runWeep(home.home, args);
    assertEquals(result, { code: 0, stdout: tree.stdout, stderr: "" }, args.join(" "));
  }
});

Deno.test("weep --version and -V print the version as the command tree does", async () => {
  await using home = await tempHome();
  const tree = await runInProcess(home.home, ["--version"]);
  assertEquals(tree, { code: 0, stdout: `${VERSION}\n`, stderr: "" });
  for (const flag of ["--version", "-V"]) {
    assertEquals(await runWeep(home.home, [flag]), tree, flag);
  }
});
