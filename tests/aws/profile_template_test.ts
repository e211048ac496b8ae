import { assert, assertEquals } from "../support/assert.ts";
import { consoleMeRole } from "../support/roles.ts";
import {
  parseTemplate,
  PRETTY_TEMPLATE,
  type ProfileTemplate,
  renderTemplate,
} from "../../src/aws/profile_template.ts";
import { nameProfiles, prettyProfileName } from "../../src/aws/profiles.ts";

const role = consoleMeRole;
const prodApp = role("123456789012", "Prod Main", "App_Role");
const deployer = role("210987654321", "Unknown", "team_a/Ops/deploy bot");

function template(text: string): ProfileTemplate {
  const parsed = parseTemplate(text);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed;
}

Deno.test("template fields: names normalised as --pretty does, IDs and the ARN as they are, literal text kept", () => {
  const all = template("{account}|{account_id}|{role}|{role_name}|{role_path}|{arn}");
  assertEquals(
    renderTemplate(all, prodApp),
    `prod-main|123456789012|app-role|app-role||${prodApp.arn}`,
  );
  assertEquals(
    renderTemplate(all, deployer),
    `210987654321|210987654321|team-a/ops/deploy-bot|deploy-bot|team-a/ops|${deployer.arn}`,
  );
  assertEquals(
    renderTemplate(template("Work_{account_id}.{role_name}"), prodApp),
    "Work_123456789012.app-role",
  );
});

Deno.test("--pretty is the template {account}-{role}, name for name", () => {
  const pretty = template(PRETTY_TEMPLATE);
  for (const r of [prodApp, deployer, role("333", "", "r"), role("444", "UNKNOWN", "x y")]) {
    assertEquals(renderTemplate(pretty, r), prettyProfileName(r));
  }
  assertEquals(prettyProfileName(role("1", "dev", "team_a/Deploy Bot")), "dev-team-a/deploy-bot");
});

Deno.test("a template is refused when a brace is stray, a field unknown, no field names the role or its text breaks names", () => {
  const problems: [string, string][] = [
    ["{account", '"{" does not open or close a field; fields look like {role}'],
    ["account}-{role}", '"}" does not open or close a field; fields look like {role}'],
    ["\x1b[31m{role}", "it holds a control character"],
    ["{{role}}", '"{" does not open or close a field; fields look like {role}'],
    [
      "{acount}-{role}",
      '"{acount}" is not a field; use {account}, {account_id}, {role}, {role_name}, {role_path}, {arn}',
    ],
    ["{}", '"{}" is not a field; use {account}, {account_id}, {role}, {role_name}, {role_path}, {arn}'],
    [
      "{account}-{role_path}",
      "it names no role, so every role of an account would get the same name; add {role}",
    ],
    ["prod", "it names no role, so every role of an account would get the same name; add {role}"],
    [
      "my {role}",
      'it makes names like "my sample", which the AWS CLI and boto3 cannot read: botocore splits profile names ' +
      "like a shell, so spaces, quotes and backslashes break them",
    ],
    [
      " {role}",
      'it makes names like " sample", which the AWS CLI and boto3 cannot read: the name starts or ends with ' +
      "whitespace",
    ],
  ];
  for (const [text, problem] of problems) assertEquals(parseTemplate(text), { problem }, text);
  for (const ok of ["{arn}", "{role_name}", "{account}/{role}", "x-{account_id}-{role}"]) {
    assert(!("problem" in parseTemplate(ok)), ok);
  }
});

Deno.test("names from a template collide and fall back as --pretty names always did", () => {
  const a = role("111111111111", "prod", "team/admin");
  const b = role("222222222222", "prod", "other/admin");
  const c = role("333333333333", "dev", "admin");
  const naming = nameProfiles([a, b, c], { template: template("{account}-{role_name}") });
  assertEquals(naming.profiles.map((p) => p.name), [
    "prod-admin-111111111111",
    "prod-admin-222222222222",
    "dev-admin",
  ]);
  assertEquals(
    naming.warnings,
    [`Roles "${a.arn}", "${b.arn}" share a profile name; each gets its account id appended`],
  );
});

Deno.test("a template name only some SDKs ignore is written with a warning; one botocore cannot read is skipped", () => {
  const odd = role("123456789012", "prod", "a$b");
  const naming = nameProfiles([odd], { template: template("{role_name}") });
  assertEquals(naming.profiles.map((p) => p.name), ["a$b"]);
  assertEquals(naming.warnings[0]?.startsWith('Profile "a$b" is invisible to'), true);
  const quoted = role("123456789012", 'say "hi"', "r");
  const skipped = nameProfiles([quoted], { template: template("{account}.{role}") });
  assertEquals(skipped.profiles, []);
  assertEquals(skipped.skipped.map((s) => s.name), ['say-"hi".r']);
});
