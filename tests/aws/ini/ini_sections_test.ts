import { assert, assertEquals } from "../../support/assert.ts";
import { botocoreRead } from "../../support/aws_readers.ts";
import { requireTool } from "../../support/tools.ts";
import { parseIni } from "../../../src/aws/ini/ini_parse.ts";
import { SectionKeys } from "../../../src/aws/ini/section_keys.ts";
import {
  checkIni,
  classifyHeader,
  type FileKind,
  iniSections,
  keyRange,
} from "../../../src/aws/ini/ini_sections.ts";

const problems = (text: string, kind: FileKind = "config") => checkIni(parseIni(text), kind);
const lines = (text: string, kind: FileKind = "config") => problems(text, kind).map((p) => p.line);

Deno.test("classifyHeader follows botocore's profile map", () => {
  const config = (header: string) => classifyHeader(header, "config");
  assertEquals(config("default"), { kind: "profile", name: "default" });
  assertEquals(config("profile default"), { kind: "profile", name: "default" });
  assertEquals(config("profile arn:aws:iam::1:role/a"), { kind: "profile", name: "arn:aws:iam::1:role/a" });
  assertEquals(config('profile "two words"'), { kind: "profile", name: "two words" });
  assertEquals(config("profile  x"), { kind: "profile", name: "x" });
  assertEquals(config("profilex y"), { kind: "profile", name: "y" }); // botocore only checks the prefix
  assertEquals(config("profile a b"), { kind: "other", name: "profile a b" });
  assertEquals(config("profile"), { kind: "other", name: "profile" });
  assertEquals(config("sso-session corp"), { kind: "sso-session", name: "corp" });
  assertEquals(config("services dev"), { kind: "services", name: "dev" });
  assertEquals(config("plugins"), { kind: "other", name: "plugins" });
  assertEquals(config("x"), { kind: "other", name: "x" });
  assertEquals(config("DEFAULT"), { kind: "defaults", name: "DEFAULT" });
  assertEquals(classifyHeader("profile x", "credentials"), { kind: "profile", name: "profile x" });
  assertEquals(classifyHeader("x", "credentials"), { kind: "profile", name: "x" });
});

Deno.test("iniSections joins values like botocore and finds weep's marker", () => {
  const text = [
    "[profile a]",
    "# managed by weep: weep may rewrite or remove this profile",
    "credential_process = weep credential_process a",
    "s3 =",
    "  max_concurrent_requests = 20",
    "",
    "  # note",
    "  addressing_style = path",
    "",
    "# about b",
    "[profile b]",
    "region = x",
  ].join("\n");
  const doc = parseIni(text);
  const [a, b] = iniSections(doc, "config");
  assert(a !== undefined && b !== undefined);
  assertEquals([a.managed, a.start, a.end, a.next], [true, 0, 8, 10]);
  assertEquals(a.keys.get("s3"), "\nmax_concurrent_requests = 20\n\naddressing_style = path");
  assertEquals(keyRange(doc.lines, a, "s3"), [3, 8]);
  assertEquals(keyRange(doc.lines, a, "credential_process"), [2, 3]);
  assertEquals(keyRange(doc.lines, a, "region"), undefined);
  assertEquals([b.managed, b.start, b.end, b.next, b.keys.get("region")], [false, 10, 12, 12, "x"]);
});

Deno.test("checkIni accepts a clean file", () => {
  assertEquals(
    problems("# c\n[default]\nregion = a\n[profile x]\nregion = a\n[sso-session x]\nsso_region = a\n"),
    [],
  );
});

Deno.test("checkIni names both lines of a duplicate section", () => {
  const found = problems("[profile x]\na = 1\n\n[profile x]\nb = 2\n");
  assertEquals(found, [{ line: 4, message: "duplicate section [profile x] (first at line 1)" }]);
});

Deno.test("checkIni names both lines of a duplicate key, whatever its case", () => {
  const found = problems("[default]\nregion = a\noutput = json\nRegion = b\n");
  assertEquals(found, [{ line: 4, message: 'duplicate key "region" in [default] (first at line 2)' }]);
});

Deno.test("checkIni reports [default] and [profile default] as one profile defined twice", () => {
  const found = problems("[profile default]\nregion = b\n[default]\nregion = a\n");
  assertEquals(found.map((p) => p.line), [3]);
  assert(found[0]?.message.includes("line 1"));
  assertEquals(lines("[default]\n[profile default]\n", "credentials"), []);
  assertEquals(lines("[profile x]\n[profile  x]\n[sso-session s]\n[sso-session 's']\n"), [2, 4]);
});

Deno.test("checkIni reports what botocore rejects, with line numbers", () => {
  assertEquals(lines("region = a\n[default]\n"), [1]);
  assertEquals(lines("[default]\njust words\n"), [2]);
  assertEquals(lines("[default]\n = x\n"), [2]);
  assertEquals(lines("[default]\ns3 =\n  max = 1\n  broken\n"), [4]);
  assertEquals(lines("[default]\ns3 =\n  a : 1\n"), [3]); // nested settings need "="
  assertEquals(lines("[default]\nregion = a\n  continued\n"), []); // a multi-line value is fine
  assertEquals(lines("\uFEFF[default]\n"), [1]);
  assertEquals(lines("[default]\rregion = a\n"), [1]);
});

Deno.test("checkIni treats [DEFAULT] sections as one, like configparser", () => {
  assertEquals(lines("[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n"), []);
  assertEquals(lines("[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n"), [4]);
});

// Each file is read by botocore itself: checkIni must find a problem exactly when botocore rejects the file
// (files with profiles defined twice or lone carriage returns load, but are flagged on purpose).
const VERDICT_CASES: { text: string; kind: FileKind; flaggedOnPurpose?: boolean }[] = [
  { text: "[default]\nregion = a\n", kind: "config" },
  { text: "", kind: "config" },
  { text: "# only a comment\n\n", kind: "config" },
  { text: "\uFEFF[default]\nregion = a\n", kind: "config" },
  { text: "\uFEFF", kind: "credentials" },
  { text: "region = a\n[default]\n", kind: "config" },
  { text: "  region = a\n[default]\n", kind: "credentials" },
  { text: "[profile x]\na = 1\n[profile x]\n", kind: "config" },
  { text: "[x]\na = 1\n[x]\n", kind: "credentials" },
  { text: "[x]\na = 1\nA = 2\n", kind: "credentials" },
  { text: "[x]\na = 1\n  A = 2\n", kind: "credentials" },
  { text: "[x]\na: 1\na = 2\n", kind: "config" },
  { text: "[x]\njunk\n", kind: "config" },
  { text: "[x]\n=1\n", kind: "config" },
  { text: "[x]\n: 1\n", kind: "config" },
  { text: "[]\n", kind: "config" },
  { text: "[x]\ns3 =\n  a = 1\n  b\n", kind: "config" },
  { text: "[x]\ns3 =\n  a = 1\n  # c\n\n  b = 2\n", kind: "config" },
  { text: "[x]\ns3 =\n\n  a : 1\n", kind: "credentials" },
  { text: "[x]\ns3 = v\n  no equals here\n", kind: "config" },
  { text: "[x]\n  a = 1\nb = 2\n  [y]\n", kind: "config" },
  { text: "[x]\r\na = 1\r\n[y]\r\nb = 2", kind: "config" },
  { text: "[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n[x]\n", kind: "config" },
  { text: "[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n[x]\n", kind: "config" },
  { text: "[default]\na = 1\n[profile default]\na = 2\n", kind: "config", flaggedOnPurpose: true },
  { text: "[profile x]\n[profilex x]\n", kind: "config", flaggedOnPurpose: true },
  { text: "[x]\ra = 1\n", kind: "config", flaggedOnPurpose: true },
];

Deno.test("checkIni flags a file exactly when botocore rejects it", async () => {
  const python = await requireTool("python3 with botocore");
  if (!python) return;
  const dir = await Deno.makeTempDir({ prefix: "weep-ini-verdict-" });
  try {
    const files = await Promise.all(VERDICT_CASES.map(async (c, i) => {
      const path = `${dir}/${i}.ini`;
      await Deno.writeTextFile(path, c.text);
      return { kind: c.kind, path };
    }));
    const results = await botocoreRead(python, files);
    VERDICT_CASES.forEach((c, i) => {
      const rejected = "error" in (results[i] ?? { error: "missing" });
      const flagged = checkIni(parseIni(c.text), c.kind).length > 0;
      assertEquals({ case: i, flagged }, { case: i, flagged: rejected || c.flaggedOnPurpose === true });
      if (c.flaggedOnPurpose) assert(!rejected, `case ${i}: botocore was expected to read the file`);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a section's keys read like a Map: file order, each key once, set again in its place", () => {
  const keys = new SectionKeys().set("region", "a").set("output", "json").set("region", "b");
  assertEquals([keys.size, keys.get("region"), keys.has("output"), keys.has("nope")], [2, "b", true, false]);
  assertEquals([...keys], [["region", "b"], ["output", "json"]]);
  assertEquals([...keys.keys()], ["region", "output"]);
  assertEquals(new Map(keys), new Map([["region", "b"], ["output", "json"]]));
});
