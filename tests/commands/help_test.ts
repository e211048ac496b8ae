import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { powershellScript } from "../../src/completion/powershell.ts";
import { commandTree } from "../../src/commands/completion.ts";
import { Command, Option } from "@commander-js/extra-typings";

const COMMANDS = ["list", "export", "file", "console", "open", "search", "whoami", "info", "doctor"];

Deno.test("weep --help lists list, export, file, console, open, search, whoami, info and doctor", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["--help"]);
  assertEquals(result.code, 0);
  assertEquals(result.stderr, "");
  for (const command of COMMANDS) assertStringIncludes(result.stdout, `\n  ${command} `, command);
});

Deno.test("each command has help with examples on stdout", async () => {
  await using home = await tempHome();
  for (const command of COMMANDS) {
    const result = await runWeep(home.home, [command, "--help"]);
    assertEquals(result.code, 0, command);
    assertStringIncludes(result.stdout, `Usage: weep ${command}`, command);
    if (command !== "doctor") assertStringIncludes(result.stdout, "Examples:", command);
  }
});

Deno.test("bash, zsh and fish completion complete the commands, search's subcommands and their options", async () => {
  await using home = await tempHome();
  const bash = await runWeep(home.home, ["completion", "bash"]);
  const zsh = await runWeep(home.home, ["completion", "zsh"]);
  const fish = await runWeep(home.home, ["completion", "fish"]);
  for (const result of [bash, zsh, fish]) assertEquals(result.code, 0);
  for (const command of COMMANDS) {
    assertStringIncludes(bash.stdout, `weep:${command}) node=weep_${command} ;;`, command);
    assertStringIncludes(zsh.stdout, `weep:${command}) node=weep_${command} ;;`, command);
    assertStringIncludes(fish.stdout, `complete -c weep -n '__fish_use_subcommand' -a ${command} `, command);
  }
  assertStringIncludes(bash.stdout, "weep_search:account) node=weep_search_account ;;");
  assertStringIncludes(bash.stdout, "weep_search:role) node=weep_search_role ;;");
  assertStringIncludes(bash.stdout, "--auto-refresh");
  assertStringIncludes(
    bash.stdout,
    "--shell) words='bash zsh sh ksh fish powershell pwsh'; return_words=1 ;;",
  );
  assertStringIncludes(zsh.stdout, "'--no-open:print the link on stdout instead of opening a browser'");
  assertStringIncludes(fish.stdout, "complete -c weep -n '__fish_seen_subcommand_from search' -a role ");
  assertStringIncludes(
    fish.stdout,
    "complete -c weep -n '__fish_seen_subcommand_from whoami' -l profile -s p ",
  );
});

Deno.test("PowerShell completion walks the same command tree; option values per command", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["completion", "powershell"]);
  assertEquals([result.code, result.stderr], [0, ""]);
  const script = result.stdout;
  assertStringIncludes(script, "Register-ArgumentCompleter -Native -CommandName weep, weep.exe, weep.cmd");
  for (const command of COMMANDS) {
    assertStringIncludes(script, `'weep:${command}' { $node = 'weep_${command}' }`, command);
  }
  assertStringIncludes(script, "'weep_search:role' { $node = 'weep_search_role' }");
  assertStringIncludes(
    script,
    "'weep_list|--log-level' { $offered = @('debug', 'debug', 'info', 'info', 'warn', 'warn', 'error', 'error') }",
  );
  // -p takes a value for file (the profile) but not for generate (--pretty).
  assertStringIncludes(script, "'weep_file|-p' { $offered = @() }");
  assert(!script.includes("'weep_generate|-p'"), "generate -p takes no value");
  assertStringIncludes(
    script,
    "'weep_completion' { 'bash', 'bash', 'zsh', 'zsh', 'fish', 'fish', 'powershell', ",
  );
  // Every single-quoted string is closed (quotes inside are doubled, as PowerShell reads them).
  for (const line of script.split("\n")) {
    assert(!line.replace(/'(?:[^']|'')*'/g, "").includes("'"), `an unbalanced quote in: ${line}`);
  }
});

Deno.test("PowerShell completion doubles single quotes in names and descriptions", () => {
  const script = powershellScript({
    name: "weep",
    description: "",
    options: [{ long: "--x", description: "it's ‘curly’", takesValue: true, choices: ["a'b"], file: false }],
    commands: [],
    argChoices: [],
  });
  assertStringIncludes(script, "'weep|--x' { $offered = @('a''b', 'a''b') }");
  assertStringIncludes(script, "'weep' { '--x', 'it''s ''curly''' }");
});

Deno.test("completion follows what help shows: hidden commands and options left out, help completes commands", () => {
  const program = new Command("weep").option("-c, --config <file>", "config").version("1", "-V, --version");
  program.command("list").description("list").option("--json", "json")
    .addOption(new Option("--extended-info", "old name").hideHelp());
  program.command("secret", { hidden: true }).description("hidden");
  const tree = commandTree(program);
  assertEquals(tree.commands.map((command) => command.name), ["list", "help"]);
  const list = tree.commands[0]!;
  assertEquals(list.options.map((option) => option.long), ["--json", "--help", "--config"]);
  assertEquals(tree.commands[1]!.argChoices, ["list"]);
  assertEquals(tree.options.map((option) => option.long), ["--config", "--version", "--help"]);
});
