import { assertEquals } from "../../support/assert.ts";
import { Random, randomIniFile } from "../../support/ini_gen.ts";
import { parseIni, readIniLines } from "../../../src/aws/ini/ini_parse.ts";
import { LineTable } from "../../../src/aws/ini/line_table.ts";

/** The table of `text`, filled as the editor fills it. */
function tableOf(text: string): LineTable {
  const table = new LineTable(text, text.startsWith("\uFEFF") ? 1 : 0);
  readIniLines(text, (line) => table.add(line));
  return table;
}

Deno.test("a line table gives back every line as parseIni reads it, and where it starts", () => {
  const odd = [
    "\uFEFF[default]\r\nregion = a\rb\n",
    "x = 1\n[s]\n = v\nk\n  cont\n[t]\nk =\n  a = 1\n\n  # c\n  b = 2\nlast = no newline",
    "",
    "\n\n",
  ];
  const random = new Random(7);
  const texts = [...odd, ...Array.from({ length: 200 }, () => randomIniFile(random, { kind: "config" }))];
  for (const text of texts) {
    const { lines } = parseIni(text);
    const table = tableOf(text);
    assertEquals(table.length, lines.length);
    assertEquals(Array.from({ length: table.length }, (_, i) => table.at(i)), lines, JSON.stringify(text));
    let at = text.startsWith("\uFEFF") ? 1 : 0;
    lines.forEach((line, i) => {
      assertEquals(table.start(i), at);
      at += line.text.length + line.eol.length;
    });
    assertEquals(table.start(lines.length), text.length);
    assertEquals(table.at(lines.length), undefined);
    const crlf = lines.filter((line) => line.eol === "\r\n").length;
    assertEquals(table.endings(), { crlf, lf: lines.filter((line) => line.eol === "\n").length });
  }
});
