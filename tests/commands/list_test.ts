import { roleTable } from "../../src/app/role_table.ts";
import { filterRoles, formatList } from "../../src/commands/list.ts";
import type { ConsoleMeRole } from "../../src/consoleme/types.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { runInProcess } from "../support/in_process.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";

const role = (arn: string, accountName: string, apps: ConsoleMeRole["apps"] = []): ConsoleMeRole => ({
  arn,
  accountId: arn.split(":")[4]!,
  accountName,
  roleName: arn.split(":role/")[1]!,
  apps,
});
const ROLES = [
  role("arn:aws:iam::012345678901:role/admin", "Prod", [
    { name: "billing", owner: "a@example.com", ownerUrl: "", appUrl: "" },
    { name: "search", owner: "a@example.com", ownerUrl: "", appUrl: "" },
  ]),
  role("arn:aws:iam::012345678902:role/team/deployer", "Unknown"),
];

Deno.test("list filters by account ID or name (any case) and by a substring of any field", () => {
  assertEquals(filterRoles(ROLES, { account: "012345678902" }).map((r) => r.roleName), ["team/deployer"]);
  assertEquals(filterRoles(ROLES, { account: "prod" }).map((r) => r.roleName), ["admin"]);
  assertEquals(filterRoles(ROLES, { search: "TEAM/" }).map((r) => r.roleName), ["team/deployer"]);
  assertEquals(filterRoles(ROLES, { search: "45678901" }).map((r) => r.roleName), ["admin"]);
  assertEquals(filterRoles(ROLES, { search: "prod", account: "012345678902" }), []);
});

Deno.test("list table shows the account ID for accounts ConsoleMe calls Unknown; extended joins apps", () => {
  assertEquals(
    roleTable(ROLES, true),
    "ACCOUNT NAME  ROLE NAME      ROLE ARN                                      APP              APP OWNER\n" +
      "Prod          admin          arn:aws:iam::012345678901:role/admin          billing, search  a@example.com\n" +
      "012345678902  team/deployer  arn:aws:iam::012345678902:role/team/deployer\n",
  );
});

Deno.test("list explains an empty result on stderr and prints nothing; --json prints []", () => {
  assertEquals(formatList(ROLES, { search: "nope", extended: false, format: "table" }), {
    stdout: "",
    note: 'No role matches "nope"; run weep list without filters to see all 2 roles',
  });
  assertEquals(formatList(ROLES, { search: "nope", extended: false, format: "json" }), { stdout: "[]\n" });
});

Deno.test("weep list prints an aligned table of the roles ConsoleMe returns", async () => {
  await using cm = await startConsoleMe({
    roles: ["arn:aws:iam::012345678901:role/admin", "arn:aws:iam::111122223333:role/team/reader"],
  });
  await using home = await loggedInHome(cm);
  const result = await runInProcess(home.home, ["list", "--all"]);
  assertEquals(result, {
    code: 0,
    stdout: "ACCOUNT NAME     ROLE NAME    ROLE ARN\n" +
      "consoleme_oss_1  admin        arn:aws:iam::012345678901:role/admin\n" +
      "111122223333     team/reader  arn:aws:iam::111122223333:role/team/reader\n",
    stderr: "",
  });
  assertEquals(cm.count("/api/v2/get_roles", "GET"), 1);
  assertEquals(cm.requests.find((r) => r.path === "/api/v2/get_roles")?.query, "all=true");
});

Deno.test("weep list --json prints role objects; -s prints ARNs; --account and SEARCH filter", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const json = await runInProcess(home.home, ["list", "--json", "--account", "consoleme_oss_2", "DEPLOY"]);
  assertEquals(json.code, 0, json.stderr);
  assertEquals(JSON.parse(json.stdout), [{
    arn: "arn:aws:iam::012345678902:role/team/deployer",
    account_id: "012345678902",
    account_name: "consoleme_oss_2",
    role_name: "team/deployer",
    apps: [{ name: "consoleme", owner: "owner@example.com", owner_url: "", app_url: "https://example.com" }],
  }]);
  const short = await runInProcess(home.home, ["list", "-s", "--account", "012345678901"]);
  assertEquals(short, {
    code: 0,
    stdout: "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin\n" +
      "arn:aws:iam::012345678901:role/consoleme_oss_1_test_user\n",
    stderr: "",
  });
  const extended = await runInProcess(home.home, ["list", "-e", "orphan"]);
  assertEquals(
    extended.stdout.split("\n")[0],
    "ACCOUNT NAME  ROLE NAME      ROLE ARN                                      APP  APP OWNER",
  );
});

Deno.test("weep list with no match exits 0, prints nothing on stdout and says why on stderr", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const result = await runInProcess(home.home, ["list", "no-such-role"]);
  assertEquals(result.code, 0);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, 'No role matches "no-such-role"');
});

Deno.test("weep list fails with exit 1 and an empty stdout when ConsoleMe fails", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  cm.fault("500", { endpoint: "/api/v2/get_roles" });
  const result = await runWeep(home.home, ["list"]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "ConsoleMe answered HTTP 500");
});

Deno.test("weep list -i/--instance keeps only the ARNs that end in InstanceProfile", async () => {
  const instance = "arn:aws:iam::012345678901:role/web-InstanceProfile";
  await using cm = await startConsoleMe({ roles: ["arn:aws:iam::012345678901:role/admin", instance] });
  await using home = await loggedInHome(cm);
  for (const flag of ["-i", "--instance"]) {
    const result = await runInProcess(home.home, ["list", flag, "-s"]);
    assertEquals([result.code, result.stdout, result.stderr], [0, `${instance}\n`, ""], flag);
  }
  const none = await runInProcess(home.home, ["list", "-i", "admin"]);
  assertEquals([none.code, none.stdout], [0, ""]);
  assertStringIncludes(none.stderr, 'No role ending in InstanceProfile matches "admin"');
});

Deno.test("weep list -p/--profiles lists the roles that have a profile in the AWS config, with their names", async () => {
  const admin = "arn:aws:iam::012345678901:role/admin";
  const reader = "arn:aws:iam::111122223333:role/team/reader";
  const unused = "arn:aws:iam::111122223333:role/unused";
  await using cm = await startConsoleMe({ roles: [admin, reader, unused] });
  await using home = await loggedInHome(cm, `aws-profiles:\n  Legacy-Admin: ${admin}\n`);
  await Deno.writeTextFile(
    `${home.aws}/config`,
    [
      "[profile prod-admin]",
      `# managed by weep: consoleme=${cm.url} role=${admin}`,
      `credential_process = weep credential_process ${admin}`,
      "[profile by-hand]",
      `credential_process = /opt/bin/weep -c /x.yaml credential_process ${reader}`,
      "[profile other-tool]",
      `credential_process = aws-vault exec x ${unused}`,
      "",
    ].join("\n"),
  );
  for (const flag of ["-p", "--profiles"]) {
    const result = await runInProcess(home.home, ["list", flag]);
    assertEquals(result, {
      code: 0,
      stdout: "ACCOUNT NAME     ROLE NAME    ROLE ARN                                    PROFILES\n" +
        `consoleme_oss_1  admin        ${admin}        prod-admin, Legacy-Admin\n` +
        `111122223333     team/reader  ${reader}  by-hand\n`,
      stderr: "",
    }, flag);
  }
  const json = JSON.parse((await runInProcess(home.home, ["list", "-p", "--json"])).stdout);
  assertEquals(json.map((r: { arn: string; profiles: string[] }) => [r.arn, r.profiles]), [
    [admin, ["prod-admin", "Legacy-Admin"]],
    [reader, ["by-hand"]],
  ]);
});
