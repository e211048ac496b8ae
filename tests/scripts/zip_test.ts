import { crc32, dosDateTime, zipArchive } from "../../scripts/zip.ts";
import { assertEquals } from "../support/assert.ts";
import { requireTool } from "../support/tools.ts";

/** Reads a ZIP's central directory and inflates every entry (enough of a reader to check the writer). */
async function readZip(bytes: Uint8Array): Promise<{ name: string; data: Uint8Array; mode: number }[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  assertEquals(view.getUint32(end, true), 0x06054b50, "end of central directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const out = [];
  for (let i = 0; i < count; i++) {
    assertEquals(view.getUint32(at, true), 0x02014b50, "central header");
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const mode = view.getUint32(at + 38, true) >>> 16;
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    assertEquals(view.getUint32(local, true), 0x04034b50, "local header");
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const compressed = bytes.subarray(start, start + view.getUint32(local + 18, true));
    const stream = new Blob([compressed.slice()]).stream().pipeThrough(
      new DecompressionStream("deflate-raw"),
    );
    const data = new Uint8Array(await new Response(stream).arrayBuffer());
    assertEquals(data.length, size, `${name} size`);
    assertEquals(crc32(data), crc, `${name} crc`);
    out.push({ name, data, mode });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

Deno.test("crc32 matches the standard check value", () => {
  assertEquals(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assertEquals(crc32(new Uint8Array()), 0);
});

Deno.test("DOS timestamps keep date and two-second time, clamped to 1980", () => {
  assertEquals(dosDateTime(new Date("2026-11-28T18:32:51Z")), {
    date: ((2026 - 1980) << 9) | (11 << 5) | 28,
    time: (18 << 11) | (32 << 5) | 25,
  });
  assertEquals(dosDateTime(new Date("1970-01-01T00:00:00Z")).date, (0 << 9) | (1 << 5) | 1);
});

Deno.test("a zip archive holds each file byte for byte with its Unix mode", async () => {
  const binary = crypto.getRandomValues(new Uint8Array(50_000));
  const text = new TextEncoder().encode("hello ".repeat(1000));
  const zip = await zipArchive([
    { name: "weep.exe", data: binary, mode: 0o755, date: new Date("2026-11-28T18:00:00Z") },
    { name: "docs/readme.txt", data: text },
  ]);
  const entries = await readZip(zip);
  assertEquals(entries.map((e) => [e.name, e.mode]), [["weep.exe", 0o100755], ["docs/readme.txt", 0o100644]]);
  assertEquals(entries[0]!.data, binary);
  assertEquals(entries[1]!.data, text);
});

Deno.test({
  name: "unzip accepts the archive and restores the executable bit",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const tool = await requireTool("unzip");
    if (!tool) return;
    const dir = await Deno.makeTempDir({ prefix: "weep-zip-" });
    try {
      const data = new TextEncoder().encode("#!/bin/sh\necho hi\n");
      await Deno.writeFile(`${dir}/a.zip`, await zipArchive([{ name: "weep.exe", data, mode: 0o755 }]));
      const unzip = await new Deno.Command(tool, { args: ["-q", "a.zip"], cwd: dir, stderr: "piped" })
        .output();
      assertEquals(unzip.code, 0, new TextDecoder().decode(unzip.stderr));
      assertEquals(await Deno.readFile(`${dir}/weep.exe`), data);
      assertEquals(((await Deno.stat(`${dir}/weep.exe`)).mode ?? 0) & 0o777, 0o755);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
