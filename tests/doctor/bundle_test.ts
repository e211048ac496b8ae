import { bundleText, decodeBundle, encodeBundle, toBase64 } from "../../src/doctor/bundle.ts";
import { assertEquals, assertRejects } from "../support/assert.ts";

Deno.test("bundle text has titled sections separated by blank lines", () => {
  assertEquals(
    bundleText([{ title: "A", body: "one" }, { title: "B", body: "two\n" }]),
    "== A ==\none\n\n== B ==\ntwo\n",
  );
});

Deno.test("bundles round-trip through zlib and base64, large and non-ASCII ones too", async () => {
  const text = "caf\u00e9 \u2713\n".repeat(20_000);
  const blob = await encodeBundle(text);
  assertEquals(/^[A-Za-z0-9+/]+=*$/.test(blob), true);
  assertEquals(blob.length < text.length / 10, true);
  assertEquals(await decodeBundle(blob), text);
  assertEquals(await decodeBundle(`  ${blob.slice(0, 10)}\n${blob.slice(10)}\r\n`), text);
});

Deno.test("base64 matches the standard alphabet with padding", () => {
  assertEquals(toBase64(new Uint8Array([0xfb, 0xff])), "+/8=");
  assertEquals(toBase64(new Uint8Array([])), "");
});

Deno.test("decoding rejects empty input, non-base64 and data that is not zlib", async () => {
  await assertRejects(() => decodeBundle(" \n"), "The support bundle is empty");
  await assertRejects(() => decodeBundle("abc$"), "it is not base64 text");
  await assertRejects(() => decodeBundle(btoa("hello world!")), "it is not zlib-compressed text");
});
