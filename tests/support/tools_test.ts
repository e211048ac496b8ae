import { assert, assertEquals, assertStringIncludes, assertThrows } from "./assert.ts";
import { requireInterop, requireTool, searchTool } from "./tools.ts";

/** A directory holding an executable `name` that prints `text` to stderr and fails, as a wrong tool would. */
async function impostor(name: string, text: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "weep-tools-" });
  await Deno.writeTextFile(`${dir}/${name}`, `#!/bin/sh\necho '${text}' >&2\nexit 1\n`, { mode: 0o755 });
  return dir;
}

Deno.test("the tool search passes over a PATH entry that lacks the module and takes a later one", async () => {
  const python = await requireTool("python3 with botocore");
  if (!python) return;
  const first = await impostor("python3", "ModuleNotFoundError: No module named botocore");
  const second = await Deno.makeTempDir({ prefix: "weep-tools-" });
  try {
    await Deno.symlink(python, `${second}/python3`);
    const found = await searchTool("python3 with botocore", { PATH: `${first}:${second}` });
    assert("path" in found, JSON.stringify(found));
    assertEquals(found.candidate, `${second}/python3`);
    // The interpreter itself, as sys.executable names it: no shim, no PATH lookup stands between.
    assertEquals(await Deno.realPath(found.path), await Deno.realPath(python));
    assertEquals(found.rejected, [`${first}/python3: ModuleNotFoundError: No module named botocore`]);
  } finally {
    await Deno.remove(first, { recursive: true });
    await Deno.remove(second, { recursive: true });
  }
});

Deno.test("a failing candidate is passed over with its reason, then the usual install locations are tried", async () => {
  const dir = await impostor("aws", "aws-cli/2.9.19 Python/3.11.2");
  try {
    const found = await searchTool("AWS CLI v2", { PATH: dir, HOME: "/nonexistent" });
    const verdict = `${dir}/aws: aws-cli/2.9.19 Python/3.11.2`;
    if ("path" in found) {
      // A real AWS CLI v2 in /usr/bin or /usr/local/bin, not on this PATH.
      assert(!found.candidate.startsWith(dir), "the failing impostor was taken");
      assertEquals(found.rejected, [verdict]);
    } else {
      assertStringIncludes(found.reason, verdict);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the AWS CLIs are found by major version", async () => {
  const v2 = await requireTool("AWS CLI v2");
  if (v2) {
    const out = await new Deno.Command(v2, { args: ["--version"], stdout: "piped" }).output();
    assertStringIncludes(new TextDecoder().decode(out.stdout), "aws-cli/2.");
  }
  const v1 = await requireTool("AWS CLI v1");
  if (v1) {
    const out = await new Deno.Command(v1, { args: ["--version"], stdout: "piped", stderr: "piped" })
      .output();
    assertStringIncludes(
      new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
      "aws-cli/1.",
    );
  }
});

Deno.test("requireInterop skips with a reason, or fails under WEEP_REQUIRE_INTEROP=1", () => {
  const before = Deno.env.get("WEEP_REQUIRE_INTEROP");
  try {
    Deno.env.set("WEEP_REQUIRE_INTEROP", "1");
    assertThrows(() => requireInterop("thing", undefined, "gone"), "thing is not available: gone");
    assertEquals(requireInterop("thing", "/bin/thing"), true);
    Deno.env.delete("WEEP_REQUIRE_INTEROP");
    assertEquals(requireInterop("thing", false, "expected in this test"), false);
  } finally {
    if (before === undefined) Deno.env.delete("WEEP_REQUIRE_INTEROP");
    else Deno.env.set("WEEP_REQUIRE_INTEROP", before);
  }
});
