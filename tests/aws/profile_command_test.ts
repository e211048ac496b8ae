import { readProcessCommand } from "../../src/aws/process_command.ts";
import { commandWord, profileCommand } from "../../src/aws/profile_command.ts";
import { UsageError } from "../../src/errors.ts";
import { shlexSplit } from "../../src/text/shlex.ts";
import { assert, assertEquals, assertThrows } from "../support/assert.ts";
import { requireTool } from "../support/tools.ts";

// Paths with spaces and with characters a shell treats as syntax outside quotes, but not inside double quotes.
const QUOTABLE = [
  "/home/a b/weep.yaml",
  "/srv/team (ops) & co/weep.yaml",
  "/srv/a;b|c<d>e/weep.yaml",
  "/srv/it's/*?[x]~!#/weep.yaml",
  "/home/josé/wéep.yaml",
];
// Paths that no one form of the line reads back the same in every client.
const REFUSED: [string, string][] = [
  ["/home/a$HOME/weep.yaml", "'$'"],
  ["/home/a`id`/weep.yaml", "'`'"],
  ['/home/a"b/weep.yaml', `'"'`],
  ["/home/a\\b/weep.yaml", "'\\'"],
  ["/home/a\nb/weep.yaml", "a control character"],
];

Deno.test("config paths go into the command line as they are, in double quotes, or not at all", () => {
  assertEquals(commandWord("/home/me/.aws/weep/team.yaml", "linux", "x"), "/home/me/.aws/weep/team.yaml");
  for (const path of QUOTABLE) assertEquals(commandWord(path, "linux", "x"), `"${path}"`);
  for (const [path, shown] of REFUSED) {
    const error = assertThrows(() => commandWord(path, "linux", "the path of --config"));
    assert(error instanceof UsageError, path);
    assertEquals(
      error.message,
      `Cannot write the path of --config "${path.replace("\n", " ")}" into the profiles' command line: ` +
        `it holds ${shown}, which the shell AWS tools run the line with would read as code; use a path without it`,
    );
  }
  // Windows: backslashes are path separators, cmd.exe expands %VAR% even inside quotes.
  assertEquals(commandWord("C:\\Users\\me\\weep.yaml", "windows", "x"), "C:\\Users\\me\\weep.yaml");
  assertEquals(commandWord("C:\\Program Files\\weep.yaml", "windows", "x"), '"C:\\Program Files\\weep.yaml"');
  assertThrows(() => commandWord("C:\\%USERPROFILE%\\weep.yaml", "windows", "x"), "it holds '%'");
  // cmd.exe ends a command's name at a comma or an equals sign outside quotes, as at a space.
  assertEquals(commandWord("C:\\Users\\a,b\\weep.exe", "windows", "x"), '"C:\\Users\\a,b\\weep.exe"');
  assertEquals(commandWord("C:\\x=y\\weep.yaml", "windows", "x"), '"C:\\x=y\\weep.yaml"');
});

Deno.test("a quoted config path reads back unchanged through botocore's split, weep's reader and a real shell", async () => {
  const facts = { execPath: "/opt/weep/weep", os: "linux" as const, cwd: "/" };
  const lines = QUOTABLE.map((path) => {
    const { program, flags } = profileCommand(facts, { config: path });
    return [program, "credential_process", ...flags, "team_role"].join(" ");
  });
  for (const [i, line] of lines.entries()) {
    assertEquals(shlexSplit(line), [
      "/opt/weep/weep",
      "credential_process",
      "--config",
      QUOTABLE[i],
      "team_role",
    ]);
    const command = readProcessCommand(line, "linux");
    assert(command.kind === "weep" && command.role === "team_role", line);
  }
  // The JavaScript and Go SDKs run the line with `sh -c`: each word comes back as it was meant.
  for (const shell of ["dash", "bash"] as const) {
    const path = await requireTool(shell);
    if (!path) continue;
    for (const [i, line] of lines.entries()) {
      const printed = await new Deno.Command(path, {
        args: ["-c", `printf '%s\\n' ${line.slice(line.indexOf(" ") + 1)}`],
        stdout: "piped",
      }).output();
      assertEquals(
        new TextDecoder().decode(printed.stdout),
        `credential_process\n--config\n${QUOTABLE[i]}\nteam_role\n`,
      );
    }
  }
});

Deno.test("an installed weep whose path a shell would read as code is refused, not written", () => {
  const facts = {
    execPath: "/x/deno",
    os: "linux" as const,
    cwd: "/",
    install: { kind: "shim", path: "/home/$(id)/bin/weep" },
  };
  assertThrows(() => profileCommand(facts, {}), `Cannot write the path of weep "/home/$(id)/bin/weep"`);
});
