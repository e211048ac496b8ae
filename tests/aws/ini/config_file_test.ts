import { assert, assertEquals, assertStringIncludes, assertThrows } from "../../support/assert.ts";
import {
  checkIniText,
  type DesiredProfile,
  listSections,
  MANAGED_MARKER,
  planProfiles,
} from "../../../src/aws/ini/config_file.ts";
import { WeepError } from "../../../src/errors.ts";

const M = MANAGED_MARKER;
const cp = (name: string, command = `weep credential_process ${name}`): DesiredProfile => ({
  name,
  keys: [["credential_process", command]],
});
const config = (text: string, desired: DesiredProfile[], more: { prune?: boolean; force?: boolean } = {}) =>
  planProfiles(text, desired, { kind: "config", ...more });

Deno.test("planProfiles appends a new profile with the marker and nothing else, after a blank line", () => {
  const plan = config("[default]\nregion = us-east-1\n", [cp("arn:aws:iam::1:role/a")]);
  assertEquals(
    plan.text,
    `[default]\nregion = us-east-1\n\n[profile arn:aws:iam::1:role/a]\n${M}\n` +
      "credential_process = weep credential_process arn:aws:iam::1:role/a\n",
  );
  assertEquals([plan.changed, plan.added, plan.updated, plan.unchanged], [
    true,
    ["arn:aws:iam::1:role/a"],
    [],
    [],
  ]);
});

Deno.test("planProfiles writes into an empty file, a blank line between profiles as people write them", () => {
  assertEquals(
    config("", [cp("a")]).text,
    `[profile a]\n${M}\ncredential_process = weep credential_process a\n`,
  );
  assertEquals(
    config("", [cp("a"), cp("b")]).text,
    `[profile a]\n${M}\ncredential_process = weep credential_process a\n\n` +
      `[profile b]\n${M}\ncredential_process = weep credential_process b\n`,
  );
  assertEquals(
    config("", [cp("default")]).text,
    `[default]\n${M}\ncredential_process = weep credential_process default\n`,
  );
});

Deno.test("planProfiles keeps CRLF files CRLF", () => {
  const plan = config("[default]\r\nregion = a\r\n", [cp("a")]);
  assertEquals(
    plan.text,
    `[default]\r\nregion = a\r\n\r\n[profile a]\r\n${M}\r\ncredential_process = weep credential_process a\r\n`,
  );
});

Deno.test("planProfiles keeps a missing final newline missing, and adds one only between old and new lines", () => {
  const plan = config("[default]\nregion = a", [cp("a")]);
  assertEquals(
    plan.text,
    `[default]\nregion = a\n\n[profile a]\n${M}\ncredential_process = weep credential_process a`,
  );
  assertEquals(config(plan.text, [], { prune: true }).text, "[default]\nregion = a");
});

Deno.test("prune takes the blank line generate put before a profile along, and leaves every other byte", () => {
  const original = "# top\n[default]\nregion = a\n\n\n# about z\n[profile z]\nregion = b\n";
  const generated = config(original, [cp("a"), cp("b"), cp("c")]).text;
  assertEquals(
    generated,
    `${original}\n[profile a]\n${M}\ncredential_process = weep credential_process a\n\n` +
      `[profile b]\n${M}\ncredential_process = weep credential_process b\n\n` +
      `[profile c]\n${M}\ncredential_process = weep credential_process c\n`,
  );
  assertEquals(config(generated, [], { prune: true }).text, original);
  assertEquals(
    config(generated, [cp("a"), cp("c")], { prune: true }).text,
    `${original}\n[profile a]\n${M}\ncredential_process = weep credential_process a\n\n` +
      `[profile c]\n${M}\ncredential_process = weep credential_process c\n`,
  );
  // A profile weep wrote before it put blank lines in goes alone; the user's blank line after it stays.
  const old = `[default]\nregion = a\n[profile a]\n${M}\ncredential_process = x\n\n[profile z]\nregion = b\n`;
  assertEquals(config(old, [], { prune: true }).text, "[default]\nregion = a\n\n[profile z]\nregion = b\n");
});

Deno.test("planProfiles run twice with the same profiles leaves the text byte-identical", () => {
  const first = config("# mine\n[profile x]\nregion = a\n", [cp("a"), cp("b")]);
  const second = config(first.text, [cp("a"), cp("b")]);
  assertEquals(second.text, first.text);
  assertEquals([second.changed, second.unchanged, second.added], [false, ["a", "b"], []]);
});

Deno.test("planProfiles updates a managed profile in place and keeps the user's other keys", () => {
  const text =
    `[profile a]\n${M}\nregion = eu-west-1\ncredential_process = old\noutput = json\n[profile z]\nregion = x\n`;
  const plan = config(text, [cp("a")]);
  assertEquals(
    plan.text,
    `[profile a]\n${M}\nregion = eu-west-1\ncredential_process = weep credential_process a\noutput = json\n` +
      "[profile z]\nregion = x\n",
  );
  assertEquals(plan.updated, ["a"]);
});

Deno.test("planProfiles replaces a nested block with the plain key and keeps the key line's indentation", () => {
  const text = `[profile a]\n${M}\n  credential_process =\n    x = 1\n  region = b\n`;
  assertEquals(
    config(text, [cp("a")]).text,
    `[profile a]\n${M}\n  credential_process = weep credential_process a\n  region = b\n`,
  );
});

Deno.test("planProfiles adds a missing key after the profile's last key, before trailing comments", () => {
  const text = `[profile a]\n${M}\nregion = b\n\n# about c\n[profile c]\n`;
  assertEquals(
    config(text, [cp("a")]).text,
    `[profile a]\n${M}\nregion = b\ncredential_process = weep credential_process a\n\n# about c\n[profile c]\n`,
  );
});

Deno.test("planProfiles does not let a new key swallow an indented header that follows", () => {
  const text = `[profile a]\n${M}\n  [profile b]\nregion = x\n`;
  const plan = config(text, [cp("a")]);
  assertEquals(
    plan.text,
    `[profile a]\n${M}\n  credential_process = weep credential_process a\n  [profile b]\nregion = x\n`,
  );
  assertEquals(listSections(plan.text, "config").map((s) => s.name), ["a", "b"]);
});

Deno.test("planProfiles skips a profile the user wrote, with a warning", () => {
  const text = "[profile a]\nregion = b\n";
  const plan = config(text, [cp("a")]);
  assertEquals([plan.text, plan.changed], [text, false]);
  assertEquals(plan.skipped.map((s) => s.name), ["a"]);
  assertStringIncludes(plan.warnings.join("\n"), "--force");
  assertStringIncludes(plan.warnings.join("\n"), "line 1");
});

Deno.test("planProfiles with force takes over a user profile: marker added, weep's keys set, other keys kept", () => {
  const text = "[profile a]\nregion = b\ncredential_process = mine\n[profile c]\n";
  const plan = config(text, [cp("a")], { force: true });
  assertEquals(
    plan.text,
    `[profile a]\n${M}\nregion = b\ncredential_process = weep credential_process a\n[profile c]\n`,
  );
  assertEquals([plan.adopted, plan.updated], [["a"], []]);
  assertEquals(config(plan.text, [cp("a")]).changed, false);
});

Deno.test("planProfiles with force adopts [default] in place", () => {
  const plan = config("[default]\nregion = b\n", [cp("default")], { force: true });
  assertEquals(
    plan.text,
    `[default]\n${M}\nregion = b\ncredential_process = weep credential_process default\n`,
  );
});

Deno.test("planProfiles with prune removes only managed profiles that are not wanted", () => {
  const text =
    `# head\n[profile old]\n${M}\ncredential_process = x\n\n# user note\n[profile mine]\nregion = a\n` +
    `[profile keep]\n${M}\ncredential_process = weep credential_process keep\n`;
  const plan = config(text, [cp("keep")], { prune: true });
  assertEquals(
    plan.text,
    `# head\n\n# user note\n[profile mine]\nregion = a\n[profile keep]\n${M}\ncredential_process = weep credential_process keep\n`,
  );
  assertEquals([plan.removed, plan.unchanged], [["old"], ["keep"]]);
  assertEquals(config(text, [cp("keep")]).removed, []); // without prune nothing goes
});

Deno.test("planProfiles leaves other sections alone even when they share a profile's name", () => {
  const text = `[sso-session a]\nsso_region = x\n[services a]\n[a]\nk = v\n`;
  const plan = config(text, [cp("a")]);
  assertEquals(plan.text, `${text}\n[profile a]\n${M}\ncredential_process = weep credential_process a\n`);
});

Deno.test("planProfiles warns about keys that take precedence over credential_process", () => {
  const text = `[profile a]\n${M}\nsso_start_url = https://x\nrole_arn = arn:aws:iam::1:role/r\n`;
  const plan = config(text, [cp("a")]);
  assertStringIncludes(plan.warnings.join("\n"), 'Profile "a" keeps sso_start_url, role_arn');
});

Deno.test("planProfiles warns that [DEFAULT] keys reach every profile", () => {
  assertStringIncludes(
    config("[DEFAULT]\nregion = x\n", [cp("a")]).warnings.join("\n"),
    "[DEFAULT] at line 1",
  );
});

Deno.test("planProfiles refuses a file with problems, naming the lines, and changes nothing", () => {
  const error = assertThrows(
    () =>
      planProfiles("[profile x]\na = 1\n[profile x]\nb = 2\nB = 3\n", [cp("y")], {
        kind: "config",
        label: "/h/.aws/config",
      }),
    'Refusing to edit "/h/.aws/config": it has 2 problems',
  );
  assert(error instanceof WeepError);
  assertEquals(error.hints.slice(0, 2), [
    "Line 3: duplicate section [profile x] (first at line 1)",
    'Line 5: duplicate key "b" in [profile x] (first at line 4)',
  ]);
  assertThrows(() => config("[default]\n[profile default]\n", [cp("y")]), "a problem");
});

Deno.test("planProfiles keeps a byte order mark and warns that the AWS CLI and boto3 cannot read the file", () => {
  const plan = config("\uFEFF[default]\n", [cp("y")]);
  assert(plan.text.startsWith("\uFEFF[default]\n"));
  assertStringIncludes(plan.warnings.join("\n"), "line 1: the file starts with a UTF-8 byte order mark");
});

Deno.test("planProfiles refuses line breaks in names and values without showing the value", () => {
  assertThrows(() => config("", [cp("a\nb")]), "line break");
  const error = assertThrows(
    () => config("", [cp("a", "secret\rvalue")]),
    'the value of "credential_process"',
  );
  assert(!error.message.includes("secret"));
  assertThrows(() => config("", [cp("a", " padded")]), "padded");
  assertThrows(() => config("", [cp("a", "weep x #comment")]), "comment");
  assertThrows(() => config("", [{ name: "a", keys: [["Bad Key", "x"]] }]), "not a valid key name");
  assertThrows(() => config("", [cp("a"), cp("a")]), "listed twice");
  assertThrows(() => config("", [{ name: "a", keys: [["k", "1"], ["k", "2"]] }]), 'key "k" is listed twice');
});

Deno.test("planProfiles refuses names botocore cannot read back", () => {
  assertThrows(() => config("", [cp("two words")]), "splits profile names like a shell");
  assertThrows(() => config("", [cp('quo"te')]), "splits profile names like a shell");
  assertThrows(() => planProfiles("", [cp("DEFAULT")], { kind: "credentials" }), "DEFAULT");
  assertEquals(planProfiles("", [cp("two words")], { kind: "credentials" }).added, ["two words"]);
});

const creds = (token: string): DesiredProfile => ({
  name: "default",
  keys: [
    ["aws_access_key_id", "ASIAEXAMPLE"],
    ["aws_secret_access_key", "secret"],
    ["aws_session_token", token],
    ["expiration", "1717003600"],
  ],
});

Deno.test("planProfiles serves weep file: one [NAME] profile in the credentials file, updated in place", () => {
  const text = "[other]\naws_access_key_id = AKIA\n";
  const first = planProfiles(text, [creds("t1")], { kind: "credentials" });
  assertEquals(
    first.text,
    `${text}\n[default]\n${M}\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = secret\n` +
      "aws_session_token = t1\nexpiration = 1717003600\n",
  );
  const second = planProfiles(first.text, [creds("t2")], { kind: "credentials" });
  assertEquals(second.updated, ["default"]);
  assertEquals(second.text, first.text.replace("t1", "t2"));
  const mine = planProfiles("[default]\naws_access_key_id = AKIA\n", [creds("t")], { kind: "credentials" });
  assertEquals(mine.skipped.map((s) => s.name), ["default"]);
});

Deno.test("listSections lists kinds, names, keys, marker and line for doctor", () => {
  const text =
    `[default]\nregion = a\n[profile w]\n${M}\ncredential_process = weep\n[sso-session s]\n[plugins]\n`;
  assertEquals(
    listSections(text, "config").map((s) => [s.kind, s.name, s.managed, s.line, [...s.keys]]),
    [
      ["profile", "default", false, 1, [["region", "a"]]],
      ["profile", "w", true, 3, [["credential_process", "weep"]]],
      ["sso-session", "s", false, 6, []],
      ["other", "plugins", false, 7, []],
    ],
  );
});

Deno.test("checkIniText is empty for a file weep can edit", () => {
  assertEquals(checkIniText("[default]\nregion = a\n", "config"), []);
  assertEquals(checkIniText("[default]\nregion = a\nregion = b\n", "config").map((p) => p.line), [3]);
});

Deno.test("planProfiles plans 10,000 profiles, re-runs without change and prunes half", () => {
  const desired = Array.from({ length: 10_000 }, (_, i) => cp(`arn:aws:iam::123456789012:role/team/r${i}`));
  const first = config("# mine\n[default]\nregion = a\n", desired);
  assertEquals(first.added.length, 10_000);
  assertEquals(config(first.text, desired).changed, false);
  const pruned = config(first.text, desired.slice(0, 5_000), { prune: true });
  assertEquals([pruned.removed.length, pruned.unchanged.length], [5_000, 5_000]);
  assertEquals(config(pruned.text, [], { prune: true }).text, "# mine\n[default]\nregion = a\n");
});

Deno.test("initial keys (a region) go into profiles weep adds and never replace a value already there", () => {
  const withRegion = (name: string): DesiredProfile => ({
    ...cp(name),
    initialKeys: [["region", "eu-west-1"]],
  });
  const before = `[profile kept]\n${M}\ncredential_process = old\nregion = us-west-2\n` +
    `[profile bare]\n${M}\ncredential_process = weep credential_process bare\n` +
    "[profile mine]\nregion = ap-south-1\n";
  const plan = config(before, ["kept", "bare", "new", "mine"].map(withRegion));
  assertEquals(
    plan.text,
    `[profile kept]\n${M}\ncredential_process = weep credential_process kept\nregion = us-west-2\n` +
      `[profile bare]\n${M}\ncredential_process = weep credential_process bare\n` +
      "[profile mine]\nregion = ap-south-1\n\n" +
      `[profile new]\n${M}\ncredential_process = weep credential_process new\nregion = eu-west-1\n`,
  );
  assertEquals([plan.added, plan.updated, plan.unchanged], [["new"], ["kept"], ["bare"]]);
  assertEquals(config(plan.text, ["kept", "bare", "new"].map(withRegion)).changed, false);
  // Taken over with force: a region the user set stays; one without gets it.
  const forced = config("[profile mine]\nregion = ap-south-1\n[profile other]\noutput = json\n", [
    withRegion("mine"),
    withRegion("other"),
  ], { force: true });
  assertEquals(
    forced.text,
    `[profile mine]\n${M}\nregion = ap-south-1\ncredential_process = weep credential_process mine\n` +
      `[profile other]\n${M}\noutput = json\ncredential_process = weep credential_process other\n` +
      "region = eu-west-1\n",
  );
});

Deno.test("a plan counts the profiles of the resulting file, weep's and everyone else's", () => {
  const before =
    `[default]\nregion = a\n[profile mine]\nregion = b\n[profile gone]\n${M}\ncredential_process = x\n`;
  assertEquals(config(before, [cp("a"), cp("b")]).profiles, 5);
  assertEquals(config(before, [cp("a")], { prune: true }).profiles, 3);
  assertEquals(config(before, []).profiles, 3);
});

Deno.test("planProfiles updates a profile whose header is spelled with extra spaces, the header kept as written", () => {
  const plan = config(`[profile  a]\n${M}\ncredential_process = old\n`, [cp("a"), cp("b")]);
  assertEquals(
    plan.text,
    `[profile  a]\n${M}\ncredential_process = weep credential_process a\n\n` +
      `[profile b]\n${M}\ncredential_process = weep credential_process b\n`,
  );
  assertEquals([plan.updated, plan.added], [["a"], ["b"]]);
});
