import {
  detectSyntax,
  exportLines,
  quoteFish,
  quotePowerShell,
  type ShellSyntax,
} from "../../src/aws/shell_export.ts";
import type { AwsCredentials } from "../../src/aws/credentials.ts";
import { assertEquals, assertThrows } from "../support/assert.ts";
import { requireTool, type ToolName } from "../support/tools.ts";

const NASTY = `it's $HOME \`id\` "q" \\ b\\\\s ; & | * ? ~ {a,b} $(date) %s \u2019 \u00e9 'end'`;

const credentials = (secret: string): AwsCredentials => ({
  accessKeyId: "ASIAEXAMPLEKEY",
  secretAccessKey: secret,
  sessionToken: "FwoGZXIvYXdzE+/token==",
  expiration: new Date("2026-11-28T18:32:50.123Z"),
});

Deno.test("fish quoting escapes only backslash and single quote", () => {
  assertEquals(quoteFish("a$b"), "'a$b'");
  assertEquals(quoteFish(`it's \\`), `'it\\'s \\\\'`);
});

Deno.test("PowerShell quoting doubles single quotes, typographic ones included", () => {
  assertEquals(quotePowerShell("a$b`c"), "'a$b`c'");
  assertEquals(quotePowerShell("it's"), "'it''s'");
  assertEquals(quotePowerShell("it\u2019s"), "'it\u2019\u2019s'");
});

Deno.test("export lines set the four variables with the expiration in RFC 3339 UTC", () => {
  assertEquals(
    exportLines(credentials("secret/+="), "posix"),
    "export AWS_ACCESS_KEY_ID='ASIAEXAMPLEKEY'\n" +
      "export AWS_SECRET_ACCESS_KEY='secret/+='\n" +
      "export AWS_SESSION_TOKEN='FwoGZXIvYXdzE+/token=='\n" +
      "export AWS_CREDENTIAL_EXPIRATION='2026-11-28T18:32:50Z'\n",
  );
  assertEquals(
    exportLines(credentials("s"), "fish").split("\n")[1],
    "set -gx AWS_SECRET_ACCESS_KEY 's';",
  );
  assertEquals(
    exportLines(credentials("s"), "powershell").split("\n")[3],
    "$Env:AWS_CREDENTIAL_EXPIRATION = '2026-11-28T18:32:50Z'",
  );
});

Deno.test("export refuses values with control characters without showing them", () => {
  const error = assertThrows(() => exportLines(credentials("line\nbreak"), "posix"), "AWS_SECRET_ACCESS_KEY");
  assertEquals(error.message.includes("break"), false);
});

Deno.test("the shell is detected from $SHELL; Windows without $SHELL means PowerShell", () => {
  const cases: [string | undefined, typeof Deno.build.os, ShellSyntax][] = [
    ["/bin/bash", "linux", "posix"],
    ["/usr/bin/zsh", "darwin", "posix"],
    ["/opt/homebrew/bin/fish", "darwin", "fish"],
    ["/usr/local/bin/pwsh", "linux", "powershell"],
    ["C:\\Program Files\\PowerShell\\7\\pwsh.exe", "windows", "powershell"],
    [undefined, "windows", "powershell"],
    [undefined, "linux", "posix"],
  ];
  for (const [shell, os, expected] of cases) assertEquals(detectSyntax(shell, os), expected, String(shell));
});

/** The shells weep export writes for that can be run here, with the script that evals a file and prints. */
const SHELLS: [ToolName, ShellSyntax, (file: string, vars: string) => string][] = [
  ["bash", "posix", (f, vars) => `eval "$(cat '${f}')"; printf '%s|' ${vars}`],
  ["dash", "posix", (f, vars) => `eval "$(cat '${f}')"; printf '%s|' ${vars}`],
  ["zsh", "posix", (f, vars) => `eval "$(cat '${f}')"; printf '%s|' ${vars}`],
  ["ksh", "posix", (f, vars) => `eval "$(cat '${f}')"; printf '%s|' ${vars}`],
  ["fish", "fish", (f, vars) => `eval (cat '${f}'); printf '%s|' ${vars}`],
];

const VARS =
  '"$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_CREDENTIAL_EXPIRATION"';

/** Hostile values: every quote, expansion and escape a shell knows, and non-ASCII text. */
const HOSTILE: AwsCredentials = {
  accessKeyId: `'; touch pwned-a; '`,
  secretAccessKey: NASTY,
  sessionToken: `\$(touch pwned-b)\\' "\u00e9" \\\\ !! $! $$ \u2603 \ud83d\ude00 end\\`,
  expiration: new Date("2026-11-28T18:32:50.123Z"),
};

for (const [shell, syntax, script] of SHELLS) {
  Deno.test(`${shell} reads back hostile exported values byte for byte`, async () => {
    const path = await requireTool(shell);
    if (!path) return;
    const dir = await Deno.makeTempDir({ prefix: "weep-export-" });
    try {
      const file = `${dir}/${shell}.txt`;
      await Deno.writeTextFile(file, exportLines(HOSTILE, syntax));
      const out = await new Deno.Command(path, {
        args: ["-c", script(file, VARS)],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      assertEquals(
        new TextDecoder().decode(out.stdout),
        `${HOSTILE.accessKeyId}|${HOSTILE.secretAccessKey}|${HOSTILE.sessionToken}|2026-11-28T18:32:50Z|`,
      );
      assertEquals(
        [...Deno.readDirSync(dir)].map((e) => e.name),
        [`${shell}.txt`],
        "the shell ran something",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("export refuses a newline, a carriage return or any control character in every variable", () => {
  for (const bad of ["a\nb", "a\rb", "a\u0000b", "a\u001bb", "a\u007fb"]) {
    for (const field of ["accessKeyId", "secretAccessKey", "sessionToken"] as const) {
      for (const syntax of ["posix", "fish", "powershell"] as const) {
        assertThrows(() => exportLines({ ...HOSTILE, [field]: bad }, syntax), "control character");
      }
    }
  }
});
