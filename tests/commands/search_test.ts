import { formatAccounts, parseAccountTitle, parseRoleTitle } from "../../src/commands/search.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";

Deno.test("account titles parse as name (id); titles without an ID are all name", () => {
  assertEquals(parseAccountTitle("prod (123456789012)"), { name: "prod", id: "123456789012" });
  assertEquals(parseAccountTitle("team (eu) (123456789012)"), { name: "team (eu)", id: "123456789012" });
  assertEquals(parseAccountTitle("no id here"), { name: "no id here", id: "" });
  assertEquals(parseAccountTitle("open (paren"), { name: "open (paren", id: "" });
  assertEquals(formatAccounts([{ title: "weird" }], false), "ACCOUNT NAME  ACCOUNT ID\nweird\n");
});

Deno.test("role titles give account ID and role name with its IAM path", () => {
  assertEquals(parseRoleTitle("arn:aws:iam::012345678902:role/team/deployer"), {
    arn: "arn:aws:iam::012345678902:role/team/deployer",
    account_id: "012345678902",
    role_name: "team/deployer",
  });
  assertEquals(parseRoleTitle("odd"), { arn: "odd", account_id: "", role_name: "odd" });
});

Deno.test("weep search account prints matching accounts as a table or JSON", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const table = await runWeep(home.home, ["search", "account", "OSS"]);
  assertEquals(table, {
    code: 0,
    stdout: "ACCOUNT NAME     ACCOUNT ID\nconsoleme_oss_1  012345678901\nconsoleme_oss_2  012345678902\n",
    stderr: "",
  });
  const query = new URLSearchParams(cm.requests.at(-1)!.query);
  assertEquals([query.get("resource"), query.get("search")], ["account", "OSS"]);
  const json = await runWeep(home.home, ["search", "account", "--json", "test"]);
  assertEquals(JSON.parse(json.stdout), [{ name: "test_account", id: "012345678903" }]);
});

Deno.test("weep search role searches role ARNs by substring", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const result = await runWeep(home.home, ["search", "role", "deployer", "--json"]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(JSON.parse(result.stdout).map((hit: { role_name: string }) => hit.role_name), [
    "team/deployer",
    "cli_only_deployer",
  ]);
  const query = new URLSearchParams(cm.requests.at(-1)!.query);
  assertEquals([query.get("resource"), query.get("search"), query.get("limit")], [
    "iam_arn",
    "deployer",
    "5000",
  ]);
  const none = await runWeep(home.home, ["search", "role", "zzz"]);
  assertEquals(none.code, 0);
  assertEquals(none.stdout, "");
  assertStringIncludes(none.stderr, 'No role ARN matches "zzz"');
});

Deno.test("weep search alone prints its help on stdout; an unknown kind is a usage error", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const help = await runWeep(home.home, ["search"]);
  assertEquals(help.code, 0);
  assertStringIncludes(help.stdout, "Usage: weep search");
  assertStringIncludes(help.stdout, "account");
  assertEquals(help.stderr, "");
  const bad = await runWeep(home.home, ["search", "bucket", "x"]);
  assertEquals(bad.code, 2);
  assertEquals(bad.stdout, "");
  assertStringIncludes(bad.stderr, 'Unknown command "bucket" for "weep search"');
  assertEquals(cm.requests.length, 0);
});

Deno.test("weep search shows ConsoleMe's problem+json message instead of an empty error", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  cm.fault("500", { endpoint: "/api/v1/policies/typeahead" });
  const result = await runWeep(home.home, ["search", "account", "x"]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "ConsoleMe answered HTTP 500: Internal Server Error");
});
