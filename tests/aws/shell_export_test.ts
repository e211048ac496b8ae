import {
  detectSyntax,
  exportLines,
  quoteFish,
  quotePosix,
  quotePowerShell,
  type ShellSyntax,
} from "../../src/aws/shell_export.ts";
import type { AwsCredentials } from "../../src/aws/credentials.ts";
import { assertEquals, assertThrows } from "../support/assert.ts";
import { note } from "../support/moto.ts";

const NASTY = `it's $HOME \`id\` "q" \\ b\\\\s ; & | * ? ~ {a,b} $(date) %s \u2019 \u00e9 'end'`;

const credentials = (secret: string): AwsCredentials => ({
  accessKeyId: "ASIAEXAMPLEKEY",
  secretAccessKey: secret,
  sessionToken: "FwoGZXIvYXdzE+/token==",
  expiration: new Date("2026-11-28T18:32:50.123Z"),
});

Deno.test("POSIX quoting wraps in single quotes and writes ' as '\\''", () => {
  assertEquals(quotePosix("abc"), "'abc'");
  assertEquals(quotePosix("it's"), `'it'\\''s'`);
  assertEquals(quotePosix(""), "''");
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

async function evalIn(shell: string, script: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(shell, { args: ["-c", script], stdout: "piped", stderr: "piped" })
      .output();
    if (!out.success) throw new Error(`${shell} failed: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

Deno.test("real shells read back every value byte for byte through eval", async () => {
  const dir = await Deno.makeTempDir({ prefix: "weep-export-" });
  try {
    const shells: [string, ShellSyntax, (file: string) => string][] = [
      [
        "bash",
        "posix",
        (f) => `eval "$(cat '${f}')"; printf '%s|%s' "$AWS_SECRET_ACCESS_KEY" "$AWS_CREDENTIAL_EXPIRATION"`,
      ],
      [
        "dash",
        "posix",
        (f) => `eval "$(cat '${f}')"; printf '%s|%s' "$AWS_SECRET_ACCESS_KEY" "$AWS_CREDENTIAL_EXPIRATION"`,
      ],
      [
        "zsh",
        "posix",
        (f) => `eval "$(cat '${f}')"; printf '%s|%s' "$AWS_SECRET_ACCESS_KEY" "$AWS_CREDENTIAL_EXPIRATION"`,
      ],
      [
        "ksh",
        "posix",
        (f) => `eval "$(cat '${f}')"; printf '%s|%s' "$AWS_SECRET_ACCESS_KEY" "$AWS_CREDENTIAL_EXPIRATION"`,
      ],
      [
        "fish",
        "fish",
        (f) => `eval (cat '${f}'); printf '%s|%s' "$AWS_SECRET_ACCESS_KEY" "$AWS_CREDENTIAL_EXPIRATION"`,
      ],
    ];
    let ran = 0;
    for (const [shell, syntax, script] of shells) {
      const file = `${dir}/${shell}.txt`;
      await Deno.writeTextFile(file, exportLines(credentials(NASTY), syntax));
      const got = await evalIn(shell, script(file));
      if (got === undefined) {
        note(`skipping ${shell}: not installed`);
        continue;
      }
      assertEquals(got, `${NASTY}|2026-11-28T18:32:50Z`, shell);
      ran++;
    }
    assertEquals(ran > 0, true, "no shell ran");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
