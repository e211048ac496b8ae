import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { consoleMeRole } from "../support/roles.ts";
import { matchGlob, nameProfiles, prettyProfileName, selectRoles } from "../../src/aws/profiles.ts";
import { parseTemplate, PRETTY_TEMPLATE, type ProfileTemplate } from "../../src/aws/profile_template.ts";

const role = consoleMeRole;

const PRETTY = parseTemplate(PRETTY_TEMPLATE) as ProfileTemplate;
const prodApp = role("123456789012", "Prod Main", "App_Role");
const deployer = role("210987654321", "Unknown", "team/deployer");

Deno.test("prettyProfileName follows weep: _ and spaces become -, lowercased, IAM path kept", () => {
  assertEquals(prettyProfileName(prodApp), "prod-main-app-role");
  assertEquals(prettyProfileName(role("1", "dev", "team_a/Deploy Bot")), "dev-team-a/deploy-bot");
});

Deno.test("prettyProfileName names an account ConsoleMe does not know by its id", () => {
  assertEquals(prettyProfileName(deployer), "210987654321-team/deployer");
  assertEquals(prettyProfileName(role("333", "", "r")), "333-r");
});

Deno.test("nameProfiles uses the role ARN by default", () => {
  const naming = nameProfiles([prodApp, deployer], {});
  assertEquals(naming.profiles.map((p) => p.name), [prodApp.arn, deployer.arn]);
  assertEquals(naming.skipped, []);
});

Deno.test("nameProfiles drops a repeated ARN", () => {
  assertEquals(nameProfiles([prodApp, prodApp], { template: PRETTY }).profiles.length, 1);
});

Deno.test("nameProfiles gives colliding pretty names the account id, whatever the input order", () => {
  const a = role("111111111111", "prod_main", "app");
  const b = role("222222222222", "Prod Main", "app");
  const c = role("333333333333", "other", "app");
  for (const roles of [[a, b, c], [c, b, a]]) {
    const naming = nameProfiles(roles, { template: PRETTY });
    const names = Object.fromEntries(naming.profiles.map((p) => [p.role.arn, p.name]));
    assertEquals(names, {
      [a.arn]: "prod-main-app-111111111111",
      [b.arn]: "prod-main-app-222222222222",
      [c.arn]: "other-app",
    });
    assertStringIncludes(naming.warnings.join("\n"), "share a profile name");
  }
});

Deno.test("nameProfiles falls back to the ARN when the account id does not separate two roles", () => {
  const a = role("111111111111", "prod", "App_Role");
  const b = role("111111111111", "prod", "app-role");
  const naming = nameProfiles([a, b], { template: PRETTY });
  assertEquals(naming.profiles.map((p) => p.name), [a.arn, b.arn]);
  assertEquals(new Set(naming.profiles.map((p) => p.name)).size, 2);
});

Deno.test("nameProfiles keeps a name only some SDKs ignore and says which", () => {
  const odd = role("123456789012", "prod", "a=b,c");
  const naming = nameProfiles([odd], {});
  assertEquals(naming.profiles.map((p) => p.name), [odd.arn]);
  const warnings = naming.warnings.join("\n");
  assertStringIncludes(
    warnings,
    `"${odd.arn}" is invisible to the AWS SDK for Java v2 and the AWS SDK for JavaScript v3`,
  );
});

Deno.test("nameProfiles notes once that older JavaScript SDKs ignore names with / and :", () => {
  const warnings = nameProfiles([prodApp, deployer], {}).warnings;
  assertEquals(warnings.filter((w) => w.includes("older releases")).length, 1);
  assertStringIncludes(warnings.join("\n"), "2 profile name(s)");
});

Deno.test("nameProfiles skips a role whose name botocore cannot read, with a warning", () => {
  const spaced = role("123456789012", "Prod\tMain", "app");
  const quoted = role("123456789012", "it's", "ops");
  const naming = nameProfiles([spaced, quoted, prodApp], { template: PRETTY });
  assertEquals(naming.profiles.map((p) => p.name), ["prod-main-app-role"]);
  assertEquals(naming.skipped.map((s) => s.arn), [spaced.arn, quoted.arn]);
  assert(naming.warnings.some((w) => w.startsWith(`Skipped role "${spaced.arn}"`)));
});

Deno.test("matchGlob matches * and ? over the whole text, ignoring case", () => {
  assert(matchGlob("arn:aws:iam::*:role/team/*", "arn:aws:iam::1:role/team/deployer"));
  assert(matchGlob("PROD*", "prod main"));
  assert(matchGlob("app?role", "app_role"));
  assert(!matchGlob("app", "app_role"));
  assert(!matchGlob("a.c", "abc"));
  assert(matchGlob("a+(b)[c]", "a+(b)[c]"));
});

Deno.test("selectRoles keeps roles matching an include glob and none of the exclude globs", () => {
  const roles = [prodApp, deployer, role("444", "sandbox", "admin")];
  assertEquals(selectRoles(roles, {}).length, 3);
  assertEquals(selectRoles(roles, { include: ["prod*"] }), [prodApp]);
  assertEquals(selectRoles(roles, { include: ["deployer"] }), [deployer]); // role name without its path
  assertEquals(selectRoles(roles, { include: ["*:role/team/*"] }), [deployer]); // the ARN
  assertEquals(selectRoles(roles, { exclude: ["sandbox", "*deployer"] }), [prodApp]);
  assertEquals(selectRoles(roles, { include: ["*"], exclude: ["*"] }), []);
});
