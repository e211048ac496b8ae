import { assertEquals } from "./support/assert.ts";
import { spawnWeep } from "./support/cli.ts";
import { startConsoleMe } from "./support/consoleme_server.ts";
import { loggedInHome } from "./support/logged_in.ts";

for (
  const [signal, code, message] of [["SIGINT", 130, "Interrupted"], ["SIGTERM", 143, "Terminated"]] as const
) {
  Deno.test(`${signal} while ConsoleMe is slow ends weep at once with exit ${code} and nothing on stdout`, async () => {
    await using cm = await startConsoleMe({ autoApprove: true });
    await using home = await loggedInHome(cm);
    cm.fault("slow", { ms: 60_000 });
    await using weep = spawnWeep(home.home, ["credential_process", "test_account_user"]);
    // Wait until the request is in flight, then interrupt.
    while (cm.count("/api/v1/get_credentials") === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    weep.kill(signal);
    const result = await weep.result();
    assertEquals(result.code, code, result.stderr);
    assertEquals(result.stdout, "");
    assertEquals(result.stderr, `error: ${message}\n`);
  });
}
