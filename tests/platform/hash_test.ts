import { hex, sha256, sha256Hex } from "../../src/platform/hash.ts";
import { assertEquals } from "../support/assert.ts";

const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

Deno.test("sha256Hex: the FIPS 180-2 vectors, for text and for bytes alike", async () => {
  assertEquals(await sha256Hex("abc"), ABC);
  assertEquals(await sha256Hex(new TextEncoder().encode("abc")), ABC);
  assertEquals(
    await sha256Hex(""),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assertEquals(await sha256Hex("\u00e9"), await sha256Hex(new Uint8Array([0xc3, 0xa9])));
});

Deno.test("sha256Hex with a byte count: the first bytes of the digest, for short file names", async () => {
  assertEquals(await sha256Hex("abc", 8), ABC.slice(0, 16));
  assertEquals((await sha256("abc")).length, 32);
  assertEquals(hex(new Uint8Array([0, 9, 255])), "0009ff");
});
