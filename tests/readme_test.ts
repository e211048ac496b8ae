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

Deno.test("the README configuration reference lists every key with its type, default and meaning", () => {
  for (const key of KEYS) {
    const row = readme.split("\n").find((line) => line.startsWith(`| \`${key.path}\` |`));
    assert(row, `README has no row for ${key.path}`);
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

Deno.test("every local link in the README and docs points at a file that exists", async () => {
  const files = [new URL("README.md", root)];
  for await (const entry of Deno.readDir(new URL("docs/", root))) {
    if (entry.isFile && entry.name.endsWith(".md")) files.push(new URL(`docs/${entry.name}`, root));
  }
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    for (const [, target] of text.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(#[^)]*)?\)/g)) {
      const resolved = new URL(target!, file);
      assert(
        await Deno.stat(resolved).then(() => true, () => false),
        `${file.pathname}: broken link ${target}`,
      );
    }
  }
});
