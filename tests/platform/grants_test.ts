import { ENV_VARS, SYS_INFO } from "../../src/platform/permissions.ts";
import { assert, assertEquals } from "../support/assert.ts";

/** Every source file of weep, but the permission set itself (which names every grant). */
async function sources(): Promise<Map<string, string>> {
  const root = new URL("../../src/", import.meta.url);
  const files = new Map<string, string>();
  const visit = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await visit(url);
      else if (entry.name.endsWith(".ts") && !url.pathname.endsWith("/platform/permissions.ts")) {
        files.set(url.pathname.slice(root.pathname.length), await Deno.readTextFile(url));
      }
    }
  };
  await visit(root);
  return files;
}

/** Whether `code` reads the environment variable (or, for `AWS_*`, a variable with that prefix) `grant`. */
function readsEnv(code: string, grant: string): boolean {
  const name = grant.endsWith("*") ? `${grant.slice(0, -1)}[A-Za-z0-9_]*` : grant;
  return new RegExp(`["'\`]${name}["'\`]|\\benv\\.${name}\\b`).test(code);
}

Deno.test("every environment variable weep is granted is read by weep's own code", async () => {
  const code = [...(await sources()).values()].join("\n");
  const unused = ENV_VARS.filter((grant) => !readsEnv(code, grant));
  assertEquals(unused, [], `granted but never read: ${unused.join(", ")}`);
});

Deno.test("every environment variable weep's code names is granted", async () => {
  const granted = (name: string) =>
    ENV_VARS.some((grant) => grant.endsWith("*") ? name.startsWith(grant.slice(0, -1)) : name === grant);
  for (const [file, code] of await sources()) {
    const reads = code.matchAll(
      /\benv(?:\.get)?\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)|\benv\.([A-Z][A-Z0-9_]+)\b/g,
    );
    for (const [, called, property] of reads) {
      const name = called ?? property!;
      assert(granted(name), `${file} reads ${name}, which the permission set does not grant`);
    }
  }
});

Deno.test("every system-information permission weep is granted is used by weep's own code", async () => {
  const code = [...(await sources()).values()].join("\n");
  for (const name of SYS_INFO) {
    assert(
      code.includes(`Deno.${name}(`),
      `the sys permission "${name}" is granted but Deno.${name}() is never called`,
    );
  }
});
