import denoJson from "../../deno.json" with { type: "json" };
import { releaseTagProblem } from "../../scripts/release_tag.ts";
import { assertEquals } from "../support/assert.ts";

Deno.test("a release tag must be v plus the version in deno.json", () => {
  assertEquals(releaseTagProblem("v1.2.3", "1.2.3"), undefined);
  assertEquals(releaseTagProblem("refs/tags/v1.2.3", "1.2.3"), undefined);
  assertEquals(
    releaseTagProblem("v1.2.4", "1.2.3"),
    'Tag "v1.2.4" does not match the version in deno.json ("1.2.3"): tag the release "v1.2.3", or set "version" ' +
      'in deno.json to "1.2.4" first',
  );
  assertEquals(typeof releaseTagProblem("1.2.3", "1.2.3"), "string");
  assertEquals(typeof releaseTagProblem("v1.2.3-rc1", "1.2.3"), "string");
});

Deno.test("the release tag check exits 1 for a wrong tag and 0 for the right one", async () => {
  const script = new URL("../../scripts/release_tag.ts", import.meta.url);
  const check = (tag: string) =>
    new Deno.Command(Deno.execPath(), { args: ["run", "--quiet", script.href, tag], stderr: "piped" })
      .output();
  const ok = await check(`v${denoJson.version}`);
  assertEquals(ok.code, 0);
  const bad = await check("v0.0.0-nope");
  assertEquals(bad.code, 1);
  assertEquals(
    new TextDecoder().decode(bad.stderr).startsWith('error: Tag "v0.0.0-nope" does not match'),
    true,
  );
});
