import { assert, assertEquals, assertThrows } from "../../support/assert.ts";
import {
  decodeIniBytes,
  newLineFor,
  parseIni,
  pyStrip,
  renderIni,
  splitLines,
} from "../../../src/aws/ini/ini_parse.ts";

const kinds = (text: string) => parseIni(text).lines.map((line) => line.kind);
const roundTrip = (text: string) => assertEquals(renderIni(parseIni(text)), text);

Deno.test("parseIni then renderIni gives back every construct byte for byte", () => {
  const samples = [
    "",
    "\n",
    "[default]",
    "[default]\nregion = us-east-1\n",
    "[default]\r\nregion = us-east-1\r\n",
    "[default]\nregion = us-east-1", // no final newline
    "\uFEFF[default]\nregion = us-east-1\n", // byte order mark
    "[default]\r\nregion = a\n\r\n[profile x]\routput = json\n", // mixed endings, lone CR
    "region = a\n[default]\n", // key before the first section
    "# comment\n; other comment\n  # indented comment\n[profile a]\n",
    "[profile a]\ns3 =\n  max_concurrent_requests = 20\n\taddressing_style = path\nregion=x\n",
    "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n[services dev]\ns3 =\n  endpoint_url = http://localhost\n",
    "[plugins]\ncli_legacy_plugin_path = /x\n[ profile  spaced ]   \n  key :value  \n\n\n",
    "[profile a] ; trailing\nkey = value # not a comment for botocore\n",
    "junk line\n[default]\n=novalue\nno delimiter\n",
  ];
  for (const sample of samples) roundTrip(sample);
});

Deno.test("parseIni keeps each line's own ending", () => {
  const doc = parseIni("a\r\nb\nc\rd");
  assertEquals(doc.lines.map((l) => [l.text, l.eol]), [["a", "\r\n"], ["b", "\n"], ["c", "\r"], ["d", ""]]);
});

Deno.test("parseIni reads a byte order mark apart from the first line", () => {
  const doc = parseIni("\uFEFF[default]\n");
  assert(doc.bom);
  assertEquals(doc.lines[0], { text: "[default]", eol: "\n", kind: "header", header: "default" });
});

Deno.test("parseIni classifies lines as botocore does", () => {
  const text = [
    "# c",
    "[profile a]",
    "Region = us-east-1 # kept",
    "s3 =",
    "  max_concurrent_requests = 20",
    "",
    "  ; comment inside a block",
    "  addressing_style = path",
    "output: json",
    "oops",
    "= x",
  ].join("\n");
  assertEquals(kinds(text), [
    "comment",
    "header",
    "key",
    "key",
    "continuation",
    "blank",
    "comment",
    "continuation",
    "key",
    "invalid",
    "invalid",
  ]);
  const lines = parseIni(text).lines;
  assertEquals(lines[2], {
    text: "Region = us-east-1 # kept",
    eol: "\n",
    kind: "key",
    key: "region",
    value: "us-east-1 # kept",
    indent: 0,
  });
  assertEquals(lines[8], {
    text: "output: json",
    eol: "\n",
    kind: "key",
    key: "output",
    value: "json",
    indent: 0,
  });
});

Deno.test("parseIni treats a line indented deeper than the key above as its continuation", () => {
  // botocore: `output = 1` is a new key (less indented than `region`), `  [profile y]` continues it.
  assertEquals(kinds("[profile x]\n  region = a\noutput = 1\n  [profile y]\n"), [
    "header",
    "key",
    "key",
    "continuation",
  ]);
  // Right after a header no key is open, so an indented header is a header.
  assertEquals(kinds("[a]\n  [b]\n"), ["header", "header"]);
});

Deno.test("parseIni marks text before the first section as invalid", () => {
  assertEquals(kinds("# ok\n\nregion = a\n[default]\n"), ["comment", "blank", "invalid", "header"]);
});

Deno.test("parseIni reads a header up to its last bracket", () => {
  const header = (text: string) => {
    const line = parseIni(text).lines[0];
    return line?.kind === "header" ? line.header : undefined;
  };
  assertEquals(header("[profile a]b] tail"), "profile a]b");
  assertEquals(header("  [ x ]  "), " x ");
  assertEquals(header("[]"), undefined);
});

Deno.test("pyStrip strips Python's whitespace, not a byte order mark", () => {
  assertEquals(pyStrip("\x1c\x85 a \u3000"), "a");
  assertEquals(pyStrip("\uFEFFa"), "\uFEFFa");
});

Deno.test("splitLines ends lines at LF, CRLF and a lone CR", () => {
  assertEquals(splitLines("a\rb\r\n\nc").map((l) => l.eol), ["\r", "\r\n", "\n", ""]);
});

Deno.test("newLineFor picks the line ending most lines use", () => {
  assertEquals(newLineFor(parseIni("a\r\nb\r\nc\n").lines), "\r\n");
  assertEquals(newLineFor(parseIni("a\r\nb\n").lines), "\n");
  assertEquals(newLineFor(parseIni("").lines), "\n");
});

Deno.test("decodeIniBytes keeps the byte order mark and refuses bytes that are not UTF-8", () => {
  assertEquals(decodeIniBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), "f"), "\uFEFFa");
  assertThrows(
    () => decodeIniBytes(new Uint8Array([0x61, 0xff]), "/home/u/.aws/config"),
    '"/home/u/.aws/config"',
  );
});
