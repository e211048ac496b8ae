import { KEYS } from "../src/config/schema.ts";
import { COMMANDS } from "../src/commands/mod.ts";
import { Command } from "@commander-js/extra-typings";
import type { App } from "../src/app/app.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "./support/assert.ts";

const root = new URL("../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));

Deno.test("the README quick start is the two commands, with the pinned Deno version", async () => {
  const version = (await Deno.readTextFile(new URL(".dvmrc", root))).trim();
  const section = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("## Install"));
  const commands = section.match(/^npx .*$/gm)?.map((line) => line.replace(/\s+#.*$/, ""));
  assertEquals(commands, [`npx -y deno@${version} task demo`, `npx -y deno@${version} task test`]);
});

Deno.test("CI runs the README's test command literally, with WEEP_REQUIRE_INTEROP=1 and a frozen lockfile", async () => {
  const ci = await Deno.readTextFile(new URL(".ci/run", root));
  const section = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("## Install"));
  const testCommand = section.match(/^npx .* task test(?=\s|$)/m)?.[0];
  assert(testCommand, "the README has no test command");
  const runs = ci.split("\n").filter((line) => /task test\b/.test(line) && !/^\s*(#|echo )/.test(line));
  assertEquals(runs, [`${testCommand} 2>&1 | tee "$log"`]);
  assertMatch(ci, /^export WEEP_REQUIRE_INTEROP=1$/m);
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  assertMatch(config.tasks.test, /^deno test .*--frozen /);
});

Deno.test("docs/configuration.md lists every key with its type, default and meaning", async () => {
  const reference = await Deno.readTextFile(new URL("docs/configuration.md", root));
  for (const key of KEYS) {
    const row = reference.split("\n").find((line) => line.startsWith(`| \`${key.path}\` |`));
    assert(row, `docs/configuration.md has no row for ${key.path}`);
    const type = key.kind === "enum" ? key.values!.filter(Boolean).join(" \\| ") : key.kind;
    const seconds = Number(key.default);
    const duration = seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
    const shown = key.kind === "duration" ? duration : JSON.stringify(key.default);
    assertEquals(row, `| \`${key.path}\` | ${type} | \`${shown}\` | ${key.doc} |`);
  }
});

Deno.test("the README command table names every command weep has", () => {
  const program = new Command("weep");
  for (const register of COMMANDS) register(program, {} as App);
  const table = readme.slice(
    readme.indexOf("## Commands"),
    readme.indexOf("## How credential_process works"),
  );
  for (const command of program.commands) assertStringIncludes(table, `weep ${command.name()}`);
});

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The anchors of a Markdown file's headings (outside code blocks), numbered as GitHub numbers repeats. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    const heading = fenced ? undefined : /^#{1,6} (.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = anchorOf(heading);
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

Deno.test("every local link in the README and docs points at a file that exists, and at a heading it has", async () => {
  const files = [new URL("README.md", root)];
  for await (const entry of Deno.readDir(new URL("docs/", root))) {
    if (entry.isFile && entry.name.endsWith(".md")) files.push(new URL(`docs/${entry.name}`, root));
  }
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    for (const [, target, anchor] of text.matchAll(/\]\((?!https?:)([^)#\s]*)(?:#([^)\s]*))?\)/g)) {
      const resolved = new URL(target || file.pathname, file);
      const found = await Deno.readTextFile(resolved).then((t) => t, () => undefined);
      const exists = found !== undefined || await Deno.stat(resolved).then(() => true, () => false);
      assert(exists, `${file.pathname}: broken link ${target}`);
      if (anchor) {
        assert(
          found !== undefined && anchorsOf(found).has(anchor),
          `${file.pathname}: link ${target}#${anchor} names no heading there`,
        );
      }
    }
  }
});

Deno.test("the README is a front page that links the references moved to docs/", () => {
  for (
    const doc of [
      "configuration",
      "security",
      "permissions",
      "dependencies",
      "netflix-weep",
      "credential-process",
    ]
  ) {
    assertStringIncludes(readme, `](docs/${doc}.md)`);
  }
  // The project guide asks the README to say that npm packages stand in for JSR packages.
  assertMatch(readme, /npm\s+packages stand in for the `@std` and cliffy packages/);
  assert(
    !readme.includes("| `consoleme_url` |"),
    "the configuration reference belongs in docs/configuration.md",
  );
  assert(!readme.includes("| Artifact | Read |"), "the permission matrix belongs in docs/permissions.md");
});

Deno.test("every docs/ page weep's code and messages name exists", async () => {
  const named: [string, string][] = [];
  const visit = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await visit(url);
      else if (entry.name.endsWith(".ts")) {
        for (const [path] of (await Deno.readTextFile(url)).matchAll(/\bdocs\/[\w./-]+\.md\b/g)) {
          named.push([url.pathname, path]);
        }
      }
    }
  };
  await visit(new URL("src/", root));
  assert(named.length > 0, "the code names no docs/ page (the pattern no longer matches?)");
  for (const [file, path] of named) {
    assert(
      await Deno.stat(new URL(path, root)).then(() => true, () => false),
      `${file} names ${path}, which does not exist`,
    );
  }
});
