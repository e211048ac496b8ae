import { assertEquals } from "../support/assert.ts";
import { requireTool } from "../support/tools.ts";
import { shlexSplit } from "../../src/aws/shlex.ts";

const SAMPLES = [
  "profile x",
  "profile  x",
  "profile\tx",
  "profile",
  "",
  "   ",
  "profile 'two words'",
  'profile "two words"',
  'profile "a\\"b"',
  'profile "a\\b"',
  "profile 'a\\b'",
  "profile a\\ b",
  "profile a\\",
  'profile "open',
  "profile 'open",
  "profile a'b'c",
  "profile ''",
  "profile #x",
  "profile a=b,c:d/e@f+g%h",
  'profile "\\\\"',
];

Deno.test("shlexSplit splits like Python's shlex.split", async () => {
  const script = "import json, shlex, sys\n" +
    "def split(s):\n  try: return shlex.split(s)\n  except ValueError: return None\n" +
    "print(json.dumps([split(s) for s in json.loads(sys.stdin.read())]))";
  const python = await requireTool("python3");
  if (!python) return;
  const child = new Deno.Command(python, { args: ["-c", script], stdin: "piped", stdout: "piped" })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(SAMPLES)));
  await writer.close();
  const expected = JSON.parse(new TextDecoder().decode((await child.output()).stdout)) as (string[] | null)[];
  assertEquals(SAMPLES.map((s) => shlexSplit(s) ?? null), expected);
});
