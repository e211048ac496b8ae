import { assertEquals, assertThrows } from "../support/assert.ts";
import { clientHost, listen, parseListenAddress } from "../../src/server/listen.ts";

const ok = () => Promise.resolve(new Response("ok"));

Deno.test("parseListenAddress takes IPv4, IPv6 with or without brackets, and localhost", () => {
  assertEquals(parseListenAddress("127.0.0.1"), "127.0.0.1");
  assertEquals(parseListenAddress("::1"), "::1");
  assertEquals(parseListenAddress("[::1]"), "::1");
  assertEquals(parseListenAddress("0.0.0.0"), "0.0.0.0");
  assertEquals(parseListenAddress("localhost"), "localhost");
  for (const bad of ["example.com", "256.1.1.1", "1.2.3", "[::1", ":::1:::", ""]) {
    assertThrows(() => parseListenAddress(bad), "Invalid listen address");
  }
});

Deno.test("clientHost brackets IPv6 and turns wildcards into loopback", () => {
  assertEquals([clientHost("0.0.0.0"), clientHost("::"), clientHost("::1"), clientHost("127.0.0.2")], [
    "127.0.0.1",
    "[::1]",
    "[::1]",
    "127.0.0.2",
  ]);
});

Deno.test("listen on port 0 reports the real port and stops when the signal aborts", async () => {
  const controller = new AbortController();
  const server = listen(ok, { address: "127.0.0.1", port: 0, signal: controller.signal });
  try {
    assertEquals(server.url, `http://127.0.0.1:${server.port}`);
    assertEquals(await (await fetch(`${server.url}/`)).text(), "ok");
  } finally {
    controller.abort();
    await server.finished;
  }
});

Deno.test("listen works on an IPv6 literal", async () => {
  const controller = new AbortController();
  const server = listen(ok, { address: "[::1]", port: 0, signal: controller.signal });
  try {
    assertEquals(server.url, `http://[::1]:${server.port}`);
    assertEquals(await (await fetch(`${server.url}/`)).text(), "ok");
  } finally {
    controller.abort();
    await server.finished;
  }
});

Deno.test("listen on a port in use says so and what to do", async () => {
  const controller = new AbortController();
  const first = listen(ok, { address: "127.0.0.1", port: 0, signal: controller.signal });
  try {
    const error = assertThrows(
      () => listen(ok, { address: "127.0.0.1", port: first.port, signal: controller.signal }),
      `Cannot listen on 127.0.0.1:${first.port}: the address is already in use`,
    );
    assertEquals((error as { hints?: string[] }).hints?.[0]?.includes("-p/--port"), true);
  } finally {
    controller.abort();
    await first.finished;
  }
});
