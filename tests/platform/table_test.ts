import { renderTable } from "../../src/platform/table.ts";
import { assertEquals } from "../support/assert.ts";

Deno.test("tables align columns two spaces apart without trailing spaces", () => {
  assertEquals(
    renderTable(["A", "LONG HEADER", "C"], [["xyz", "1", ""], ["", "22", "last"]]),
    "A    LONG HEADER  C\nxyz  1\n     22           last\n",
  );
});

Deno.test("control characters in cells cannot break a row", () => {
  assertEquals(
    renderTable(["A", "B"], [["line\r\nbreak", "\x1b[31mred"]]),
    "A           B\nline break  ?[31mred\n",
  );
  assertEquals(renderTable(["ONLY"], []), "ONLY\n");
});
