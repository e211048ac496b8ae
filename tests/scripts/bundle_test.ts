import { BUNDLE_FILE, bundleText, requireFreshBundle } from "../../scripts/bundle.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { tempHome } from "../support/cli.ts";
import { copyRepo, denoDir, REPO } from "./build_env.ts";

Deno.test("the committed credential_process start bundle is byte for byte what deno task bundle makes now", async () => {
  const committed = await Deno.readTextFile(`${REPO}/${BUNDLE_FILE}`);
  // Compared as text in the assertion, so that a stale bundle shows where it differs.
  assertEquals(
    committed,
    await bundleText(REPO),
    "run `deno task bundle` and commit src/cli/fast_start.bundle.js",
  );
});

Deno.test("deno task bundle makes the same bytes twice, whatever directory it is run from", async () => {
  await using copy = await copyRepo();
  assertEquals(await bundleText(copy.root), await bundleText(REPO));
});

Deno.test("a bundle older than a source it holds is refused, naming deno task bundle", async () => {
  await using copy = await copyRepo();
  await requireFreshBundle(copy.root);
  const source = `${copy.root}/src/cli/fast_start.ts`;
  await Deno.writeTextFile(source, (await Deno.readTextFile(source)) + "\nexport const CHANGED = 1;\n");
  const error = await assertRejects(() => requireFreshBundle(copy.root));
  assertStringIncludes(String(error), `"${BUNDLE_FILE}" is not what its sources bundle to now`);
  assertStringIncludes(JSON.stringify((error as { hints?: string[] }).hints), "deno task bundle");
});

Deno.test("deno task install and deno task compile refuse a stale bundle: exit 1, the reason on stderr, nothing built", async () => {
  await using copy = await copyRepo();
  await using home = await tempHome();
  const bundle = `${copy.root}/${BUNDLE_FILE}`;
  await Deno.writeTextFile(bundle, (await Deno.readTextFile(bundle)) + "// edited\n");
  const cache = await denoDir();
  for (
    const [task, args] of [["install", ["--shim"]], ["compile", ["--out", `${home.home}/dist`]]] as const
  ) {
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "--config", `${copy.root}/deno.json`, task, ...args],
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        DENO_DIR: cache,
        NO_COLOR: "1",
        HOME: home.home,
        DENO_INSTALL_ROOT: `${home.home}/deno-root`,
      },
      clearEnv: true,
      cwd: copy.root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assertEquals(result.code, 1, `${task}: ${stderr}`);
    assertStringIncludes(stderr, `"${BUNDLE_FILE}" is not what its sources bundle to now`);
    assertStringIncludes(stderr, "deno task bundle");
    assertEquals(new TextDecoder().decode(result.stdout), "");
  }
  const built = await Array.fromAsync(Deno.readDir(home.home), (entry) => entry.name);
  assertEquals(built.filter((name) => name === "dist" || name === "deno-root"), []);
});

Deno.test("install and compile judge a bundle by the hashes in its header, not by another Deno's bundler bytes", async () => {
  await using copy = await copyRepo();
  const bundle = `${copy.root}/${BUNDLE_FILE}`;
  const text = await Deno.readTextFile(bundle);
  const stamp = /^\/\/ sources ([0-9a-f]{64}) body ([0-9a-f]{64})\n/m.exec(text)!;
  // The same sources bundled by another Deno: other bytes, stamped with their own hash.
  const body = text.slice(stamp.index + stamp[0].length).replace("\n", "\n// written another way\n");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  const bodyHash = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  await Deno.writeTextFile(
    bundle,
    `${text.slice(0, stamp.index)}// sources ${stamp[1]} body ${bodyHash}\n${body}`,
  );
  await requireFreshBundle(copy.root);
  // Edited by hand (the stamp no longer says what the body is): refused.
  await Deno.writeTextFile(
    bundle,
    `${text.slice(0, stamp.index)}// sources ${stamp[1]} body ${bodyHash}\n${body}x`,
  );
  await assertRejects(() => requireFreshBundle(copy.root), "is not what its sources bundle to now");
});
