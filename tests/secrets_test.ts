import { assert, assertThrows } from "./support/assert.ts";
import { assertNoSecrets, runWeep, TEST_SECRETS } from "./support/cli.ts";
import { startConsoleMe } from "./support/consoleme_server.ts";
import { loggedInHome } from "./support/logged_in.ts";

// Every runWeep call in the suite checks its stderr against TEST_SECRETS (everything the test ConsoleMe
// minted: keys, tokens, JWTs). These tests prove the check bites, then drive the commands that handle secrets
// at debug level.

Deno.test("the stderr check fails a test when a minted secret appears", () => {
  TEST_SECRETS.add("wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET");
  try {
    assertThrows(() => assertNoSecrets("debug: key wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET"), "test secret");
  } finally {
    TEST_SECRETS.delete("wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET");
  }
});

Deno.test("no command prints a key, token or JWT on stderr (or in info, cache list, doctor), even at debug level", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  const debug = ["--log-level", "debug"];
  const role = "test_account_user";
  const runs = [
    [...debug, "credential_process", role],
    [...debug, "credential_process", role],
    [...debug, "credential_process", "--no-cache", role],
    [...debug, "export", "--shell", "bash", role],
    [...debug, "file", role],
    [...debug, "cache", "list", "--json"],
    [...debug, "info", "--raw"],
    [...debug, "doctor"],
  ];
  const before = TEST_SECRETS.size;
  for (const args of runs) {
    const result = await runWeep(home.home, args);
    // The support bundle, the cache listing and doctor's report are for humans and tickets: no secrets there.
    if (["cache", "info", "doctor"].includes(args[2]!)) assertNoSecrets(result.stdout);
  }
  assert(TEST_SECRETS.size > before, "the server minted secrets during the runs");
  cm.fault("invalid_jwt");
  await runWeep(home.home, [...debug, "credential_process", "--no-cache", role]);
});
