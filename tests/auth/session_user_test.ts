import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";

Deno.test("a stored login of another user is not used for the configured user: weep logs in as them", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  const result = await runWeep(home.home, ["credential_process", "test_account_user"], {
    env: { WEEP_CHALLENGE_SETTINGS_USER: "bob@example.com" },
  });
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stderr, "Logged in to ConsoleMe as bob@example.com");
  assertEquals(cm.minted.map((m) => m.user), ["bob@example.com"]);
  const cached = JSON.parse((await runWeep(home.home, ["cache", "list", "--json"])).stdout);
  assertEquals(cached.credentials.map((entry: { user: string }) => entry.user), ["bob@example.com"]);
  // Both logins are kept: switching back to the other user costs no login.
  assertEquals(cached.sessions.map((s: { user: string }) => s.user).sort(), [
    "bob@example.com",
    cm.settings.user,
  ]);
});
