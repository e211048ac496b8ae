import { assert, assertEquals } from "./support/assert.ts";

const root = new URL("../", import.meta.url);
const src = new URL("src/", root).href;

/** The layers of docs/architecture.md, top first: each a list of entries (`dir/`, `dir/file.ts`, or `./`). */
async function documentedLayers(): Promise<string[][]> {
  const doc = await Deno.readTextFile(new URL("docs/architecture.md", root));
  const block = /```layers\n([\s\S]*?)```/.exec(doc);
  assert(block, "docs/architecture.md has no ```layers block");
  const layers: string[][] = [];
  for (const line of block[1]!.split("\n")) {
    if (line === "" || line.startsWith(" ")) continue; // a description's continuation
    layers.push(line.split(/\s{2,}/)[0]!.split(" "));
  }
  return layers;
}

interface Module {
  path: string;
  imports: { path: string; dynamic: boolean; typeOnly: boolean }[];
  /** npm packages it imports (`dynamic`: on demand only). */
  npm: { path: string; dynamic: boolean }[];
}

/** weep's import graph as `deno info --json src/cli/main.ts` reports it, paths relative to `src/`. */
async function importGraph(): Promise<Map<string, Module>> {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", new URL("deno.json", root).pathname, "src/cli/main.ts"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(info.success, new TextDecoder().decode(info.stderr));
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: Record<string, { specifier: string } | boolean | string>[];
    }[];
  };
  const modules = new Map<string, Module>();
  for (const module of graph.modules) {
    if (!module.specifier.startsWith(src)) continue;
    const node: Module = { path: module.specifier.slice(src.length), imports: [], npm: [] };
    for (const dep of module.dependencies ?? []) {
      const code = (dep.code as { specifier?: string } | undefined)?.specifier;
      const type = (dep.type as { specifier?: string } | undefined)?.specifier;
      const target = code ?? type ?? "";
      if (target.startsWith(src)) {
        node.imports.push({
          path: target.slice(src.length),
          dynamic: dep.isDynamic === true,
          typeOnly: !code,
        });
      } else if (target.startsWith("npm:") && code) {
        node.npm.push({ path: target, dynamic: dep.isDynamic === true });
      }
    }
    modules.set(node.path, node);
  }
  return modules;
}

/** The layer entry a module belongs to (the longest that names it) and its rank, 0 at the top. */
function placer(layers: string[][]): (path: string) => { entry: string; rank: number } | undefined {
  return (path) => {
    let best: { entry: string; rank: number } | undefined;
    layers.forEach((entries, rank) => {
      for (const entry of entries) {
        const holds = entry === "./"
          ? !path.includes("/")
          : entry.endsWith("/")
          ? path.startsWith(entry)
          : path === entry;
        if (holds && (!best || entry.length > best.entry.length)) best = { entry, rank };
      }
    });
    return best;
  };
}

/** Every module reachable from `start` through imports that load code when `start` runs (no dynamic ones). */
function loadedBy(graph: Map<string, Module>, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const dep of graph.get(path)?.imports ?? []) if (!dep.dynamic && !dep.typeOnly) visit(dep.path);
    for (const npm of graph.get(path)?.npm ?? []) if (!npm.dynamic) seen.add(npm.path);
  };
  visit(start);
  return seen;
}

const graph = await importGraph();

Deno.test("no import goes against the layer order written in docs/architecture.md", async () => {
  const layers = await documentedLayers();
  const place = placer(layers);
  const against: string[] = [];
  for (const module of graph.values()) {
    const from = place(module.path);
    if (!from) {
      against.push(`${module.path} is in no layer`);
      continue;
    }
    for (const dep of module.imports) {
      const to = place(dep.path);
      if (!to) continue; // reported as a module of its own
      const same = from.entry === to.entry;
      if (same && from.entry === "commands/" && module.path !== "commands/mod.ts") {
        against.push(`${module.path} → ${dep.path}: a command imports another command`);
      } else if (!same && to.rank <= from.rank) {
        against.push(`${module.path} (${from.entry}) → ${dep.path} (${to.entry})`);
      }
    }
  }
  assertEquals(against, []);
});

Deno.test("the layer table places every module under src/, and every layer holds one", async () => {
  const layers = await documentedLayers();
  const place = placer(layers);
  const files: string[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith(".ts")) files.push(`${prefix}${entry.name}`);
    }
  };
  await walk(new URL(src), "");
  assertEquals(files.filter((file) => !graph.has(file)), [], "modules main.ts never loads");
  const used = new Set(files.map((file) => place(file)?.entry));
  assertEquals(layers.flat().filter((entry) => !used.has(entry)), [], "layer entries that hold no module");
});

Deno.test("a cache miss loads neither the command tree nor generate; domain layers never load commander", () => {
  const miss = [...loadedBy(graph, "cli/direct.ts")];
  assertEquals(
    miss.filter((path) =>
      /^(commands\/|cli\/(run|program)\.ts|app\/generate\.ts|aws\/generate_)|commander/.test(path)
    ),
    [],
  );
  const commander = [...graph.values()].filter((module) =>
    module.npm.some((npm) => npm.path.includes("commander"))
  );
  assertEquals(
    commander.map((module) => module.path.split("/")[0]).filter((dir) =>
      !["cli", "commands", "app"].includes(dir!)
    ),
    [],
  );
});

Deno.test("a cache hit and weep --help load only these modules (a new one is measured with deno task bench first)", async () => {
  // main.ts loads the version and the build's metadata, and everything else on demand: a hit, the one bundle.
  assertEquals([...loadedBy(graph, "cli/main.ts")].sort(), ["build_info.json", "cli/main.ts", "version.ts"]);
  const onDemand = graph.get("cli/main.ts")!.imports.filter((dep) => dep.dynamic).map((dep) => dep.path);
  assert(onDemand.includes("cli/fast_start.bundle.js"), onDemand.join(", "));
  // What the bundle holds: the start of credential_process and what it imports, each once.
  const start = [...loadedBy(graph, "cli/fast_start.ts")].sort();
  assertEquals(start, [
    "aws/credentials.ts",
    "cache/entry.ts",
    "cache/fast_path.ts",
    "cache/fast_wait.ts",
    "cache/store.ts",
    "cli/fast_start.ts",
    "cli/signals.ts",
    "config/schema.ts",
    "errors.ts",
    "global_flags.ts",
    "platform/hash.ts",
    "platform/locks.ts",
    "platform/output.ts",
    "platform/outside_text.ts",
    "platform/paths.ts",
    "platform/process_state.ts",
    "platform/shared_failure.ts",
    "platform/sleep.ts",
    "platform/state_files.ts",
    "platform/state_trust.ts",
  ]);
  const bundle = await Deno.readTextFile(new URL("cli/fast_start.bundle.js", src));
  const bundled = new Set([...bundle.matchAll(/^\/\/ src\/(\S+)$/gm)].map((match) => match[1]!));
  assertEquals([...bundled].sort(), start, "the modules src/cli/fast_start.bundle.js holds");
  assert(!/^\s*(import|export)\b.*\bfrom\b|\bimport\(/m.test(bundle), "the bundle imports nothing");
  // weep --help: the rendered text alone (weep --version needs nothing beyond main.ts).
  assertEquals([...loadedBy(graph, "cli/help_text.ts")], ["cli/help_text.ts"]);
});

Deno.test("a cache miss with the config snapshot loads no YAML parser, and weep loads no npm package but these", () => {
  const miss = [...loadedBy(graph, "cli/direct.ts")];
  assertEquals(miss.filter((path) => /js-yaml/.test(path)), []);
  // Each dependency is chosen on purpose (docs/dependencies.md): a new one is added there first.
  const packages = new Set<string>();
  for (const module of graph.values()) for (const npm of module.npm) packages.add(npm.path);
  // commander itself comes through @commander-js/extra-typings (weep imports only its types).
  assertEquals([...packages].sort(), ["npm:@commander-js/extra-typings@15.1.0", "npm:js-yaml@5.5.0"]);
});

Deno.test("no two modules declare a function of the same name", async () => {
  const where = new Map<string, string[]>();
  for (const path of graph.keys()) {
    if (!path.endsWith(".ts")) continue;
    const text = await Deno.readTextFile(new URL(path, src));
    for (const [, name] of text.matchAll(/^(?:export )?(?:async )?function\*? ?(\w+)/gm)) {
      where.set(name!, [...(where.get(name!) ?? []), path]);
    }
  }
  assertEquals([...where].filter(([, paths]) => paths.length > 1), []);
});
