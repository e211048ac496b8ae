import { usageMessage } from "../../src/cli/commander_style.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { weepInTerminal } from "../support/terminal.ts";

/** Runs each `weep args…` and checks it is a usage error: exit 2, nothing on stdout, exactly `stderr`. */
async function assertUsageErrors(cases: [string[], string][]): Promise<void> {
  await using home = await tempHome();
  for (const [args, stderr] of cases) {
    const result = await runWeep(home.home, args);
    assertEquals({ args, ...result }, { args, code: 2, stdout: "", stderr });
  }
}

Deno.test("an unknown option names the command, suggests the near one on a hint line and points at --help", async () => {
  await assertUsageErrors([
    [["--bogus"], 'error: Unknown option "--bogus"\n  Run `weep --help` to see the options\n'],
    [
      ["whoami", "-x"],
      'error: Unknown option "-x" for "weep whoami"\n  Run `weep whoami --help` to see the options\n',
    ],
    [
      ["list", "--profile"],
      'error: Unknown option "--profile" for "weep list"\n  Did you mean "--profiles"?\n' +
      "  Run `weep list --help` to see the options\n",
    ],
  ]);
});

Deno.test("an unknown command, at the top or under a group, suggests the near one on a hint line", async () => {
  await assertUsageErrors([
    [
      ["lsit"],
      'error: Unknown command "lsit"\n  Did you mean "list"?\n  Run `weep --help` to see the commands\n',
    ],
    [
      ["help", "generat"],
      'error: Unknown command "generat"\n  Did you mean "generate"?\n  Run `weep --help` to see the commands\n',
    ],
    [
      ["cache", "lsit"],
      'error: Unknown command "lsit" for "weep cache"\n  Did you mean "list"?\n' +
      "  Run `weep cache --help` to see the commands\n",
    ],
    [
      ["search", "bucket", "x"],
      'error: Unknown command "bucket" for "weep search"\n  Run `weep search --help` to see the commands\n',
    ],
  ]);
});

Deno.test("too many or too few arguments quote what was given and show the usage line", async () => {
  await assertUsageErrors([
    [
      ["list", "prod", "admin"],
      'error: Too many arguments for "weep list": it takes at most 1, got 2 ("prod", "admin")\n' +
      "  Quote an argument that contains spaces\n  Usage: weep list [options] [search]\n",
    ],
    [
      ["cache", "list", "extra"],
      'error: Too many arguments for "weep cache list": it takes none, got 1 ("extra")\n' +
      "  Usage: weep cache list [options]\n",
    ],
    [
      ["open"],
      'error: Missing the argument "arn" for "weep open"\n  Usage: weep open [options] <arn>\n' +
      "  Run `weep open --help` for usage\n",
    ],
  ]);
});

Deno.test("a bad option value or argument value is quoted, with the allowed values or the expected form", async () => {
  await assertUsageErrors([
    [
      ["whoami", "--profile"],
      "error: Missing a value for --profile\n  Usage: -p, --profile <name>\n  Run `weep whoami --help` for usage\n",
    ],
    [
      ["--log-level", "loud", "list"],
      'error: Invalid value "loud" for --log-level\n  Allowed values: debug, info, warn, error\n' +
      "  Run `weep --help` for usage\n",
    ],
    [
      ["serve", "--port", "99999"],
      'error: Invalid value "99999" for --port: expected a port number from 0 to 65535 (0 picks a free port)\n' +
      "  Run `weep serve --help` for usage\n",
    ],
    [
      ["completion", "tcsh"],
      'error: Invalid value "tcsh" for the argument <shell>\n  Allowed values: bash, zsh, fish, powershell\n' +
      "  Run `weep completion --help` for usage\n",
    ],
  ]);
});

Deno.test("weep cache and weep search alone show their help on stdout and exit 0", async () => {
  await using home = await tempHome();
  for (const group of ["cache", "search"]) {
    const result = await runWeep(home.home, [group]);
    assertEquals([result.code, result.stderr], [0, ""], group);
    assertStringIncludes(result.stdout, `Usage: weep ${group} [options] [command]`);
    assertStringIncludes(result.stdout, "\nCommands:\n");
  }
});

Deno.test("help in a real terminal, without NO_COLOR, is plain text and exits 0", async () => {
  await using home = await tempHome();
  // Commander would ask the terminal's colour support through variables the permission set does not grant.
  for (const args of [["--help"], ["cache"], []]) {
    await using term = await weepInTerminal(home.home, args, { NO_COLOR: "" }, { stdout: "terminal" });
    if (!term) return;
    const { code } = await term.exited();
    const screen = await term.screen();
    assertEquals(code, 0, screen);
    // The screen's last rows: the end of the help text, and no error line.
    assertStringIncludes(screen, args[0] === "cache" ? "Usage: weep cache" : "help [command]");
    assertEquals(/^error:/m.test(screen), false, screen);
  }
});

Deno.test("commander messages weep has no wording for still start with a capital and quote values", () => {
  const node = {
    name: () => "serve",
    usage: () => "[options]",
    parent: {
      name: () => "weep",
      usage: () => "",
      parent: null,
      commands: [],
      registeredArguments: [],
      args: [],
    },
    commands: [],
    registeredArguments: [],
    args: [],
  };
  assertEquals(
    usageMessage(
      {
        code: "commander.conflictingOption",
        message: "error: option '--a' cannot be used with option '--b'",
      },
      node,
    ),
    {
      message: 'Option "--a" cannot be used with option "--b"',
      hints: ["Run `weep serve --help` for usage"],
    },
  );
});
