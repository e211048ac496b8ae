import { assert, assertEquals } from "../support/assert.ts";
import { Random, randomIniFile, randomProfiles } from "../support/ini_gen.ts";
import { type DesiredProfile, listSections, planProfiles } from "../../src/aws/config_file.ts";
import { checkIni, type FileKind } from "../../src/aws/ini_sections.ts";
import { parseIni, renderIni } from "../../src/aws/ini_parse.ts";

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
