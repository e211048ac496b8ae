import { globalsFromArgs, readProcessCommand, windowsSplit } from "../../src/aws/process_command.ts";
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

Deno.test("a profile's weep command line gives the global options weep uses in-process", () => {
  assertEquals(
    globalsFromArgs([
      "-c",
      "/h/.aws/weep/x.yaml",
      "--assume-role=arn:a,arn:b",
      "-A",
      "arn:c",
      "-n",
      "credential_process",
      "r",
    ]),
    { config: "/h/.aws/weep/x.yaml", assumeRole: ["arn:a", "arn:b", "arn:c"], noIp: true },
  );
});

Deno.test("a short flag's value may be attached (-c/tmp/other.yaml), as commander reads it", () => {
  assertEquals(globalsFromArgs(["-c/tmp/other.yaml", "credential_process", "r"]), {
    config: "/tmp/other.yaml",
  });
  assertEquals(globalsFromArgs(["credential_process", "r", "-rus-west-2", "-Aarn:a"]), {
    region: "us-west-2",
    assumeRole: ["arn:a"],
  });
});

Deno.test("switches cluster with the flag after them: -nA ARN is weep's own credential_process line", () => {
  const line = "weep -nA arn:aws:iam::123456789012:role/next credential_process r";
  assertEquals(readProcessCommand(line), {
    kind: "weep",
    role: "r",
    args: ["-nA", "arn:aws:iam::123456789012:role/next", "credential_process", "r"],
  });
  assertEquals(globalsFromArgs(["-nA", "arn:aws:iam::123456789012:role/next", "credential_process", "r"]), {
    noIp: true,
    assumeRole: ["arn:aws:iam::123456789012:role/next"],
  });
});

Deno.test("after -- every word is an argument; a flag missing its value makes a line weep would refuse", () => {
  assertEquals(readProcessCommand("weep credential_process -- -c"), {
    kind: "weep",
    role: "-c",
    args: ["credential_process", "--", "-c"],
  });
  assertEquals(readProcessCommand("weep credential_process r -c").kind, "weep-other");
  assertEquals(globalsFromArgs(["credential_process", "--", "-c", "x"]), {});
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
