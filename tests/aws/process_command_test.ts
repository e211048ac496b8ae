import { readProcessCommand, windowsSplit } from "../../src/aws/process_command.ts";
import { assert, assertEquals } from "../support/assert.ts";
import { requireTool } from "../support/tools.ts";

Deno.test("readProcessCommand finds weep's role among options, split like the AWS CLI", () => {
  assertEquals(
    readProcessCommand(`"/opt/my tools/weep" --config=/x.yaml credential_process 'role name' -n`),
    {
      kind: "weep",
      role: "role name",
      args: ["--config=/x.yaml", "credential_process", "role name", "-n"],
    },
  );
  assertEquals(readProcessCommand("weep -A arn:aws:iam::1:role/a --region eu-west-1 credential_process r1"), {
    kind: "weep",
    role: "r1",
    args: ["-A", "arn:aws:iam::1:role/a", "--region", "eu-west-1", "credential_process", "r1"],
  });
  assertEquals(readProcessCommand("C:\\tools\\WEEP.EXE credential_process r1", "windows"), {
    kind: "weep",
    role: "r1",
    args: ["credential_process", "r1"],
  });
  assertEquals(readProcessCommand("weep export prod"), { kind: "weep-other", args: ["export", "prod"] });
  assertEquals(readProcessCommand("weep credential_process"), {
    kind: "weep-other",
    args: ["credential_process"],
  });
  assertEquals(readProcessCommand("weeper credential_process r --token=x"), {
    kind: "other",
    program: "weeper",
  });
  assertEquals(readProcessCommand("weep 'open"), { kind: "other", program: "" });
});

// Command lines checked against botocore's own splitter (botocore.compat._windows_shell_split).
const WINDOWS_LINES = [
  "C:\\tools\\WEEP.EXE --region eu-west-1 credential_process r1",
  '"C:\\Program Files\\weep\\weep.exe" credential_process "a b"',
  'a\\\\"b c"',
  'a\\\\\\"b c',
  'x ""',
  "  lead  trail  ",
  "a\\ b\\",
  '"unterminated x',
  'a"b"c d\t e',
  "",
];

Deno.test("windowsSplit splits a command line like botocore on Windows", async () => {
  assertEquals(windowsSplit('"C:\\Program Files\\weep\\weep.exe" credential_process "a b"'), [
    "C:\\Program Files\\weep\\weep.exe",
    "credential_process",
    "a b",
  ]);
  assertEquals(windowsSplit('"open'), undefined);
  const script = `
import json, sys, botocore.compat as c
out = []
for line in json.load(sys.stdin):
    try: out.append(c._windows_shell_split(line))
    except ValueError: out.append(None)
print(json.dumps(out))
`;
  const python = await requireTool("python3 with botocore");
  if (!python) return; // the fixed cases above still ran
  const child = new Deno.Command(python, {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(WINDOWS_LINES)));
  await writer.close();
  const result = await child.output();
  assert(result.success, new TextDecoder().decode(result.stderr));
  const expected = JSON.parse(new TextDecoder().decode(result.stdout)) as (string[] | null)[];
  assertEquals(WINDOWS_LINES.map((line) => windowsSplit(line) ?? null), expected);
});
