import { assert, assertEquals } from "../support/assert.ts";
import { Random } from "../support/ini_gen.ts";
import { unifiedDiff } from "../../src/text/diff.ts";

async function run(command: string, args: string[], cwd: string) {
  const result = await new Deno.Command(command, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  return { code: result.code, stdout: new TextDecoder().decode(result.stdout) };
}

/** GNU diff's output for the same texts, and whether `patch` turns old into new with our diff. */
async function withGnu(oldText: string, newText: string, fn: (gnu: string, patched: string) => void) {
  const dir = await Deno.makeTempDir({ prefix: "weep-diff-" });
  try {
    await Deno.writeTextFile(`${dir}/old`, oldText);
    await Deno.writeTextFile(`${dir}/new`, newText);
    await Deno.writeTextFile(`${dir}/ours.diff`, unifiedDiff(oldText, newText, "old", "new"));
    const gnu = await run("diff", ["-u", "--label", "old", "--label", "new", "old", "new"], dir);
    await Deno.copyFile(`${dir}/old`, `${dir}/target`);
    const patch = await run("patch", ["--quiet", "--binary", "target", "ours.diff"], dir);
    assertEquals(patch.code, 0, "patch accepts the diff");
    fn(gnu.stdout, await Deno.readTextFile(`${dir}/target`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("unifiedDiff is empty for equal texts", () => {
  assertEquals(unifiedDiff("a\n", "a\n", "x", "y"), "");
});

Deno.test("unifiedDiff prints an appended profile as GNU diff -u does", async () => {
  const before = "[default]\nregion = a\n\n# mine\n[profile x]\nregion = b\n";
  const after = before + "[profile y]\n# managed by weep\ncredential_process = weep y\n";
  assertEquals(
    unifiedDiff(before, after, "a/config", "b/config"),
    "--- a/config\n+++ b/config\n@@ -4,3 +4,6 @@\n # mine\n [profile x]\n region = b\n" +
      "+[profile y]\n+# managed by weep\n+credential_process = weep y\n",
  );
  await withGnu(before, after, (gnu, patched) => {
    assertEquals(unifiedDiff(before, after, "old", "new"), gnu);
    assertEquals(patched, after);
  });
});

Deno.test("unifiedDiff merges changes less than seven lines apart into one hunk, like GNU diff", async () => {
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i}\n`);
  const change = (at: number[]) => lines.map((l, i) => (at.includes(i) ? `changed ${i}\n` : l)).join("");
  for (const at of [[5, 12], [5, 13], [0, 39], [1, 2, 20]]) {
    await withGnu(
      lines.join(""),
      change(at),
      (gnu) => assertEquals(unifiedDiff(lines.join(""), change(at), "old", "new"), gnu),
    );
  }
});

Deno.test("unifiedDiff marks a last line without a newline, and keeps CRLF endings", async () => {
  for (
    const [before, after] of [["a\nb", "a\nb\nc"], ["a\nb\n", "a\nb"], ["", "x\n"], ["x\n", ""], [
      "a\r\nb\r\n",
      "a\r\nc\r\n",
    ]]
  ) {
    await withGnu(before as string, after as string, (gnu, patched) => {
      assertEquals(unifiedDiff(before as string, after as string, "old", "new"), gnu);
      assertEquals(patched, after);
    });
  }
});

Deno.test("patch turns the old text into the new one with unifiedDiff's output, for random edits", async () => {
  const random = new Random(42);
  for (let run = 0; run < 40; run++) {
    const before = Array.from(
      { length: random.int(0, 30) },
      () => random.pick(["a", "b", "c", "[x]", ""]) + "\n",
    );
    const after = before.flatMap((line) =>
      random.chance(0.15) ? [] : random.chance(0.15) ? [line, random.pick(["d\n", "a\n", "\n"])] : [line]
    );
    if (random.chance(0.3) && after.length > 0) after[after.length - 1] = after.at(-1)!.replace("\n", "");
    await withGnu(
      before.join(""),
      after.join(""),
      (_gnu, patched) => assertEquals(patched, after.join(""), `run ${run}`),
    );
  }
});

Deno.test("unifiedDiff handles a 10,000-profile file with thousands of changes", () => {
  const profile = (i: number, command: string) =>
    `[profile p${i}]\n# marker\ncredential_process = ${command} ${i}\n`;
  const before = Array.from({ length: 10_000 }, (_, i) => profile(i, "weep")).join("");
  const after = Array.from({ length: 10_000 }, (_, i) => profile(i, i % 2 === 0 ? "/usr/bin/weep" : "weep"))
    .join("");
  const diff = unifiedDiff(before, after, "a", "b");
  assertEquals(diff.split("\n").filter((l) => l.startsWith("+credential_process")).length, 5_000);
  assert(
    diff.startsWith("--- a\n+++ b\n@@ -1,30000 +1,30000 @@\n"),
    "one hunk: the changes are 6 lines apart",
  );
});

Deno.test("unifiedDiff shows a region too different to match as removed then added", async () => {
  const before = "x\n".repeat(2500) + "end\n";
  const after = "y\n".repeat(2500) + "end\n";
  const diff = unifiedDiff(before, after, "old", "new");
  assert(diff.startsWith("--- old\n+++ new\n@@ -1,2501 +1,2501 @@\n-x\n"));
  await withGnu(before, after, (_gnu, patched) => assertEquals(patched, after));
});
