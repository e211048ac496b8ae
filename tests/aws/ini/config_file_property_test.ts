import { assert, assertEquals } from "../../support/assert.ts";
import { Random, randomIniFile, randomOriginRun, randomProfiles } from "../../support/ini_gen.ts";
import { type DesiredProfile, listSections, planProfiles } from "../../../src/aws/ini/config_file.ts";
import { checkIni, type FileKind, iniSections } from "../../../src/aws/ini/ini_sections.ts";
import { markerLine } from "../../../src/aws/ini/profile_marker.ts";
import { parseIni, renderIni } from "../../../src/aws/ini/ini_parse.ts";

const RUNS = 300;
const KINDS: FileKind[] = ["config", "credentials"];

function userProfileNames(text: string, kind: FileKind): Set<string> {
  return new Set(listSections(text, kind).filter((s) => s.kind === "profile").map((s) => s.name));
}

Deno.test("random files are valid for botocore and survive parse and render byte for byte", () => {
  for (let seed = 1; seed <= RUNS; seed++) {
    for (const kind of KINDS) {
      const text = randomIniFile(new Random(seed), { kind });
      assertEquals(checkIni(parseIni(text), kind), [], `seed ${seed} ${kind}`);
      assertEquals(renderIni(parseIni(text)), text, `seed ${seed} ${kind}`);
    }
  }
});

Deno.test("generate then remove weep's profiles gives back the original bytes", () => {
  for (let seed = 1; seed <= RUNS; seed++) {
    for (const kind of KINDS) {
      const random = new Random(seed);
      const original = randomIniFile(random, { kind });
      const desired = randomProfiles(random, kind);
      const plan = planProfiles(original, desired, { kind });
      const users = userProfileNames(original, kind);
      assertEquals(plan.skipped.map((s) => s.name), desired.map((d) => d.name).filter((n) => users.has(n)));
      assertEquals(plan.added, desired.map((d) => d.name).filter((n) => !users.has(n)));
      assertEquals(planProfiles(plan.text, [], { kind, prune: true }).text, original, `seed ${seed} ${kind}`);
    }
  }
});

Deno.test("generate twice with the same profiles gives identical bytes", () => {
  for (let seed = 1; seed <= RUNS; seed++) {
    for (const kind of KINDS) {
      const random = new Random(seed);
      const original = randomIniFile(random, { kind });
      const desired = randomProfiles(random, kind);
      const once = planProfiles(original, desired, { kind });
      const twice = planProfiles(once.text, desired, { kind });
      assertEquals([twice.text, twice.changed], [once.text, false], `seed ${seed} ${kind}`);
      assertEquals(twice.unchanged, once.added);
    }
  }
});

Deno.test("generate with fewer roles and prune changes only weep's profiles", () => {
  for (let seed = 1; seed <= RUNS; seed++) {
    for (const kind of KINDS) {
      const random = new Random(seed);
      const original = randomIniFile(random, { kind });
      const first = randomProfiles(random, kind);
      const generated = planProfiles(original, first, { kind }).text;
      // Keep some roles (some with a new command or keys), drop the rest.
      const kept: DesiredProfile[] = random.some(first, first.length).map((p) =>
        random.chance(0.5) ? p : { name: p.name, keys: p.keys.map(([k, v]) => [k, `${v}-v2`] as const) }
      );
      const plan = planProfiles(generated, kept, { kind, prune: true });
      const users = userProfileNames(original, kind);
      const keptNames = new Set(kept.map((p) => p.name));
      assertEquals(
        plan.removed.sort(),
        first.map((p) => p.name).filter((n) => !users.has(n) && !keptNames.has(n)).sort(),
        `seed ${seed} ${kind}`,
      );
      assertEquals(planProfiles(plan.text, [], { kind, prune: true }).text, original, `seed ${seed} ${kind}`);
      const managed = listSections(plan.text, kind).filter((s) => s.managed);
      for (const profile of kept.filter((p) => !users.has(p.name))) {
        const section = managed.find((s) => s.name === profile.name);
        assert(section !== undefined, `seed ${seed}: ${profile.name} missing`);
        assertEquals([...section.keys], profile.keys.map(([k, v]) => [k, v]));
      }
    }
  }
});

Deno.test("force takes over user profiles and leaves every other section as it was", () => {
  for (let seed = 1; seed <= RUNS; seed++) {
    for (const kind of KINDS) {
      const random = new Random(seed);
      const original = randomIniFile(random, { kind });
      const desired = randomProfiles(random, kind);
      const plan = planProfiles(original, desired, { kind, force: true });
      assertEquals(plan.skipped, []);
      const names = new Set(desired.map((d) => d.name));
      const untouched = (text: string) =>
        listSections(text, kind).filter((s) => !(s.kind === "profile" && names.has(s.name)))
          .map((s) => [s.header, [...s.keys]]);
      assertEquals(untouched(plan.text), untouched(original), `seed ${seed} ${kind}`);
      assertEquals(planProfiles(plan.text, desired, { kind }).changed, false);
    }
  }
});

const A = "https://consoleme-a.example.com";
const B = "http://127.0.0.1:8081/consoleme";

/**
 * The file's lines outside the sections (header to last key) whose marker names `origin`, and outside the blank
 * line before each of them (generate puts one there, and a removed profile takes it along).
 */
function linesNotOf(text: string, kind: FileKind, origin: string): { text: string; eol: string }[] {
  const doc = parseIni(text);
  const skip = new Set<number>();
  for (const section of iniSections(doc, kind)) {
    if (section.owner?.origin !== origin) continue;
    const blankBefore = doc.lines[section.start - 1]?.kind === "blank";
    for (let i = section.start - (blankBefore ? 1 : 0); i < section.end; i++) skip.add(i);
  }
  return doc.lines.filter((_, i) => !skip.has(i)).map((line) => ({ text: line.text, eol: line.eol }));
}

/** `text` with a `region` key the user added under the marker of `owner`'s profile. */
function withUserKey(text: string, owner: { origin: string; role: string }): string {
  const doc = parseIni(text);
  const marker = markerLine(owner);
  const at = doc.lines.findIndex((line) => line.text === marker);
  if (at < 0) return text;
  const eol = doc.lines[at]!.eol || "\n";
  doc.lines.splice(at + 1, 0, { text: "region = eu-north-1", eol, kind: "comment" });
  return renderIni(doc);
}

/** Sections in order, weep's profiles of `origin` as `role:<arn>`, every other section by its header. */
function sectionLabels(text: string, kind: FileKind, origin: string): string[] {
  return iniSections(parseIni(text), kind).map((s) =>
    s.owner?.origin === origin ? `role:${s.owner.role}` : `header:${s.header}`
  );
}

Deno.test("a run for one ConsoleMe never changes a byte of another ConsoleMe's profiles or of the user's", () => {
  let renamed = 0;
  let removed = 0;
  let blocked = 0;
  for (let seed = 1; seed <= RUNS; seed++) {
    for (const kind of KINDS) {
      const random = new Random(seed);
      const label = `seed ${seed} ${kind}`;
      let text = randomIniFile(random, { kind });
      // Both ConsoleMes generate, in random order and naming modes; names may collide between them.
      for (const origin of random.chance(0.5) ? [A, B] : [B, A]) {
        text = planProfiles(text, randomOriginRun(random, origin).desired, { kind, origin }).text;
      }
      for (const section of iniSections(parseIni(text), kind)) {
        if (section.owner?.origin === A && random.chance(0.5)) text = withUserKey(text, section.owner);
      }
      const before = iniSections(parseIni(text), kind).filter((s) => s.owner?.origin === A);
      const run = randomOriginRun(random, A);
      const prune = random.chance(0.5);
      const plan = planProfiles(text, run.desired, { kind, origin: A, prune });

      const others = (t: string) => {
        const lines = linesNotOf(t, kind, A);
        return lines.map((line, i) => (i === lines.length - 1 ? line.text : line.text + line.eol));
      };
      assertEquals(others(plan.text), others(text), `${label}: only A's profiles changed`);

      const wanted = new Set(run.desired.map((d) => d.owner.role));
      const gone = before.filter((s) => !wanted.has(s.owner!.role));
      assertEquals(
        plan.removed.sort(),
        prune ? gone.map((s) => s.name).sort() : [],
        `${label}: prune removes A's profiles of roles that are gone, and only those`,
      );
      const expectedOrder = sectionLabels(text, kind, A).filter((l) =>
        !(prune && l.startsWith("role:") && !wanted.has(l.slice(5)))
      );
      assertEquals(
        sectionLabels(plan.text, kind, A).slice(0, expectedOrder.length),
        expectedOrder,
        `${label}: every profile keeps its position; new ones come last`,
      );

      const after = iniSections(parseIni(plan.text), kind).filter((s) => s.owner?.origin === A);
      const skipped = new Set(plan.skipped.map((s) => s.name));
      for (const profile of run.desired) {
        const mine = after.filter((s) => s.owner?.role === profile.owner.role);
        const had = before.find((s) => s.owner?.role === profile.owner.role);
        if (skipped.has(profile.name)) {
          assertEquals(had, undefined, `${label}: only a new profile is skipped`);
          assertEquals(mine.length, 0, label);
          continue;
        }
        assertEquals(mine.length, 1, `${label}: one profile for ${profile.owner.role}`);
        const section = mine[0]!;
        assertEquals(section.keys.get("credential_process"), profile.keys[0]![1], label);
        if (had?.keys.has("region")) assertEquals(section.keys.get("region"), "eu-north-1", label);
        if (section.name !== profile.name) blocked++;
        else if (had !== undefined && had.name !== profile.name) renamed++;
      }
      if (prune) removed += plan.removed.length;
      const again = planProfiles(plan.text, run.desired, { kind, origin: A, prune });
      assertEquals([again.text, again.changed], [plan.text, false], `${label}: a second run changes nothing`);
    }
  }
  // The runs must have exercised renames, removals and names held by others.
  assert(
    renamed > 100 && removed > 100 && blocked > 20,
    `renamed ${renamed}, removed ${removed}, blocked ${blocked}`,
  );
});
