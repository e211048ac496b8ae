import { assertEquals, assertThrows } from "../../support/assert.ts";
import {
  type DesiredProfile,
  MANAGED_MARKER,
  type PlanOptions,
  planProfiles,
} from "../../../src/aws/ini/config_file.ts";
import { markerLine, parseMarker } from "../../../src/aws/ini/profile_marker.ts";
import { consoleMeOrigin } from "../../../src/consoleme/origin.ts";
import { legacyProfileRole } from "../../../src/aws/profile_command.ts";

const A = "https://cm-a.example.com";
const B = "https://cm-b.example.com";
const R1 = "arn:aws:iam::111111111111:role/app";
const R2 = "arn:aws:iam::222222222222:role/admin";
const R3 = "arn:aws:iam::333333333333:role/reader";

/** Weep's profile of `role` from `origin`, named `name`. */
const want = (origin: string, role: string, name = role): DesiredProfile => ({
  name,
  keys: [["credential_process", `weep credential_process ${role}`]],
  owner: { origin, role },
});
/** The lines weep writes for it. */
const lines = (origin: string, role: string, name = role) => [
  `[profile ${name}]`,
  markerLine({ origin, role }),
  `credential_process = weep credential_process ${role}`,
];
const file = (...blocks: string[][]) => blocks.flat().map((l) => l + "\n").join("");
const plan = (text: string, desired: DesiredProfile[], more: Partial<PlanOptions> = {}) =>
  planProfiles(text, desired, { kind: "config", origin: A, ...more });

Deno.test("the marker names the ConsoleMe and the role, reads back, and older markers name nobody", () => {
  const owner = { origin: "https://cm.example.com/base", role: R1 };
  assertEquals(markerLine(owner), `# managed by weep: consoleme=https://cm.example.com/base role=${R1}`);
  assertEquals(parseMarker(markerLine(owner)), { owner });
  assertEquals(parseMarker(`  ${markerLine(owner)} extra=1 words`), { owner });
  const odd = { origin: "https://cm.example.com/a b%", role: "my role" };
  assertEquals(
    markerLine(odd),
    "# managed by weep: consoleme=https://cm.example.com/a%20b%25 role=my%20role",
  );
  assertEquals(parseMarker(markerLine(odd)), { owner: odd });
  assertEquals(parseMarker(MANAGED_MARKER), { owner: undefined });
  assertEquals(parseMarker("# managed by weep: consoleme=https://x"), { owner: undefined });
  assertEquals(parseMarker("# managed by someone else"), undefined);
});

Deno.test("consoleMeOrigin spells one ConsoleMe one way", () => {
  for (const url of ["https://CM.Example.com", "https://cm.example.com/", "https://cm.example.com:443//"]) {
    assertEquals(consoleMeOrigin(url), "https://cm.example.com");
  }
  assertEquals(consoleMeOrigin("http://user:pw@127.0.0.1:8080/cm/?q=1#x"), "http://127.0.0.1:8080/cm");
});

Deno.test("a change of naming renames weep's profile in place: the user's keys and its position stay", () => {
  const before = file(
    ["[profile dev]", "region = eu-west-1"],
    [`[profile ${R1}] ; mine`, markerLine({ origin: A, role: R1 }), "region = us-west-2", "# note"],
    [`credential_process = weep credential_process ${R1}`, "output = json", ""],
    ["[profile other]", "region = x"],
  );
  const result = plan(before, [want(A, R1, "prod-app")]);
  assertEquals(result.renamed, [{ from: R1, to: "prod-app" }]);
  assertEquals(result.text, before.replace(`[profile ${R1}] ; mine`, "[profile prod-app] ; mine"));
  assertEquals(plan(result.text, [want(A, R1, "prod-app")]).changed, false);
});

Deno.test("renames that swap two names, or chain, all happen", () => {
  const before = file(lines(A, R1, "x"), lines(A, R2, "y"), lines(A, R3, "z"));
  const result = plan(before, [want(A, R1, "y"), want(A, R2, "x"), want(A, R3, "w")]);
  assertEquals(result.text, file(lines(A, R1, "y"), lines(A, R2, "x"), lines(A, R3, "w")));
  assertEquals(result.warnings, []);
});

Deno.test("a rename to a name held by a profile that stays is not made, and says why", () => {
  const before = file(lines(A, R1, "x"), ["[profile mine]", "region = x"], lines(A, R2, "y"));
  const result = plan(before, [want(A, R1, "mine"), want(A, R2, "x")]);
  // R1 cannot become "mine" (the user's), so it keeps "x", which in turn R2 cannot take.
  assertEquals(result.text, before);
  assertEquals(result.warnings.sort(), [
    'Profile "x" keeps its name: "mine" is taken by a profile weep did not write (line 4); rename or remove ' +
    "that profile, then run weep again",
    `Profile "y" keeps its name: "x" is taken by weep's profile for "${R1}" (line 1); rename or remove that ` +
    "profile, then run weep again",
  ]);
});

Deno.test("another ConsoleMe's profiles are never updated, renamed, removed or taken over, even with --force", () => {
  const before = file(lines(B, R1), lines(B, R2, "b-admin"), lines(A, R3));
  for (const force of [false, true]) {
    const result = plan(before, [want(A, R1)], { prune: true, force });
    assertEquals(result.text, file(lines(B, R1), lines(B, R2, "b-admin")), `force ${force}`);
    assertEquals(result.removed, [R3]);
    assertEquals(result.skipped, [{
      name: R1,
      reason: `the name is taken by weep's profile from the ConsoleMe at "${B}" (line 1)`,
    }]);
  }
});

Deno.test("prune removes only this ConsoleMe's profiles whose role is gone, matched by role, not by name", () => {
  const before = file(lines(A, R1, "one"), lines(B, R2, "two"), lines(A, R2, "three"), ["[profile mine]"]);
  const result = plan(before, [want(A, R2, "three")], { prune: true });
  assertEquals(result.removed, ["one"]);
  assertEquals(result.text, file(lines(B, R2, "two"), lines(A, R2, "three"), ["[profile mine]"]));
  // A role still listed but left out by the filters is kept when `present` says so.
  const kept = plan(before, [], { prune: true, present: new Set([R1, R2]) });
  assertEquals(kept.changed, false);
});

Deno.test("older markers of this configuration are upgraded in place; of another configuration left alone", () => {
  const legacy = (role: string, config = "") => [
    `[profile ${role}]`,
    MANAGED_MARKER,
    `credential_process = weep credential_process ${config}${role}`,
  ];
  const before = file(legacy(R1), legacy(R2, "--config /h/.aws/weep/b.yaml "), legacy(R3));
  const legacyRole = (section: { keys: { get(key: string): string | undefined } }) =>
    legacyProfileRole(section.keys.get("credential_process"), {
      config: undefined,
      extraConfigFile: undefined,
    }, "linux");
  const result = plan(before, [want(A, R1)], { prune: true, legacyRole });
  assertEquals(result.text, file(lines(A, R1), legacy(R2, "--config /h/.aws/weep/b.yaml ")));
  assertEquals([result.updated, result.removed], [[R1], [R3]]);
});

Deno.test("a profile with weep's older marker that nobody can place is taken over only with --force", () => {
  const before = file([`[profile ${R1}]`, MANAGED_MARKER, "role_arn = x"]);
  const legacyRole = () => undefined;
  assertEquals(plan(before, [want(A, R1)], { legacyRole }).skipped.length, 1);
  const forced = plan(before, [want(A, R1)], { legacyRole, force: true });
  assertEquals(forced.adopted, [R1]);
  assertEquals(
    forced.text,
    file([`[profile ${R1}]`, markerLine({ origin: A, role: R1 }), "role_arn = x"], [
      `credential_process = weep credential_process ${R1}`,
    ]),
  );
});

Deno.test("matching by owner needs every profile to come from that ConsoleMe, one per role", () => {
  assertThrows(() => plan("", [want(B, R1)]), `Cannot write profile "${R1}": it does not come from "${A}"`);
  assertThrows(() => plan("", [want(A, R1, "x"), want(A, R1, "y")]), `role "${R1}" has another profile`);
});

Deno.test("a 100,000-role account: every profile is added, then renamed in place, in one plan each", () => {
  const n = 100_000;
  const wanted = (pretty: boolean) =>
    Array.from({ length: n }, (_, i) => {
      const role = `arn:aws:iam::${100000000000 + (i % 20)}:role/r${i}`;
      return want(A, role, pretty ? `acct-${i}` : role);
    });
  const added = plan("", wanted(false));
  assertEquals(added.added.length, n);
  const renamed = plan(added.text, wanted(true), { prune: true });
  assertEquals([renamed.renamed.length, renamed.removed.length], [n, 0]);
  assertEquals(renamed.text.split("\n").length, added.text.split("\n").length);
});
