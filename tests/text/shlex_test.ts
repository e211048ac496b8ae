import { assertEquals } from "../support/assert.ts";
import { requireTool } from "../support/tools.ts";
import { isSafeWord, quotePosix, shlexSplit } from "../../src/text/shlex.ts";

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

Deno.test("POSIX quoting wraps in single quotes and writes ' as '\\''", () => {
  assertEquals(quotePosix("abc"), "'abc'");
  assertEquals(quotePosix("it's"), `'it'\\''s'`);
  assertEquals(quotePosix(""), "''");
});

Deno.test("a quoted word splits back into itself, whatever it holds", () => {
  const alphabet = ["a", " ", "'", '"', "\\", "$", "`", "\n", "\t", "*", "~", "é", "%", ";", "|"];
  for (let seed = 1; seed <= 500; seed++) {
    let word = "";
    for (let n = seed, i = 0; i < seed % 12; i++, n = (n * 1103515245 + 12345) % 2147483648) {
      word += alphabet[n % alphabet.length];
    }
    assertEquals(shlexSplit(quotePosix(word)), [word], JSON.stringify(word));
  }
});

Deno.test("safe words are letters, digits and _+=,.@:/- only", () => {
  for (const word of ["arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h", "us-east-1", "/opt/weep/weep"]) {
    assertEquals(isSafeWord(word), true, word);
  }
  for (const word of ["", "a b", "it's", "$HOME", "a%b", "a*b", "~/x", "a;b", "é"]) {
    assertEquals(isSafeWord(word), false, word);
  }
});
