import { assertEquals } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";

/** A forwarding HTTP proxy on loopback that records the absolute URLs it was asked for. */
function startProxy() {
  const seen: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    seen.push(`${request.method} ${request.url}`);
    const answer = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("ConsoleMe requests go through HTTP_PROXY, and NO_PROXY bypasses it", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  await using proxy = startProxy();
  const role = "test_account_user";
  const through = await runWeep(home.home, ["credential_process", "--no-cache", role], {
    env: { HTTP_PROXY: proxy.url },
  });
  assertEquals(through.code, 0, through.stderr);
  assertEquals(proxy.seen, [`POST ${cm.url}/api/v1/get_credentials`]);
  const bypassed = await runWeep(home.home, ["credential_process", "--no-cache", role], {
    env: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" },
  });
  assertEquals(bypassed.code, 0, bypassed.stderr);
  assertEquals(proxy.seen.length, 1);
});
