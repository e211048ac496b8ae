import { BodyTooLargeError, formatBytes, readTextCapped } from "../../src/platform/http_body.ts";
import { assertEquals, assertRejects } from "../support/assert.ts";

Deno.test("readTextCapped reads a body up to the limit, UTF-8 split across chunks included", async () => {
  const bytes = new TextEncoder().encode('{"role": "é"}');
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.subarray(0, 11));
      controller.enqueue(bytes.subarray(11));
      controller.close();
    },
  });
  assertEquals(await readTextCapped(new Response(body), bytes.length), '{"role": "é"}');
  assertEquals(await readTextCapped(new Response(null), 10), "");
});

Deno.test("readTextCapped stops at the limit: a Content-Length over it at once, a body without end when it passes", async () => {
  const announced = new Response("x".repeat(100), { headers: { "content-length": "100" } });
  const early = await assertRejects(() => readTextCapped(announced, 99));
  assertEquals([early instanceof BodyTooLargeError, (early as BodyTooLargeError).limit], [true, 99]);
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += 1;
      controller.enqueue(new Uint8Array(65536));
    },
  });
  const error = await assertRejects(() => readTextCapped(new Response(endless), 1 << 20));
  assertEquals(error.message, "The response body is larger than 1 MiB");
  assertEquals(pulled < 40, true, `read ${pulled} chunks`);
});

Deno.test("formatBytes names sizes the way the limits are set", () => {
  assertEquals([formatBytes(1 << 20), formatBytes(256 << 20), formatBytes(512 << 10), formatBytes(1000)], [
    "1 MiB",
    "256 MiB",
    "512 KiB",
    "1000 bytes",
  ]);
});
