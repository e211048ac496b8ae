/**
 * `weep generate` for an account with 100,000 roles, as the real CLI: every profile written after the user's
 * bytes, a blank line before each, and a second run that changes nothing. The run used to die with "Maximum call
 * stack size exceeded" above about 43,000 new profiles. How long it takes is a figure of `deno task bench`
 * (scripts/bench_generate.ts), not an assertion here.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { startConsoleMe, syntheticRoles } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { note } from "../support/tools.ts";

const ROLES = 100_000;
const USER_PART = "# kept by hand\n[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n";

Deno.test("generate writes 100,000 profiles after the user's bytes, a blank line before each; a second run changes nothing", async () => {
  const roles = syntheticRoles(ROLES);
  await using cm = await startConsoleMe({ autoApprove: true, roles });
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  await Deno.writeTextFile(path, USER_PART);

  const started = performance.now();
  const first = await runWeep(home.home, ["generate", "--command", "weep"]);
  const firstMs = performance.now() - started;
  assertEquals(first.code, 0, first.stderr);
  const summary = first.stderr.trimEnd().split("\n").at(-1);
  assertEquals(
    summary,
    `info: added ${ROLES}, updated 0, renamed 0, removed 0, unchanged 0, skipped 0 → ${path}`,
  );
  const text = await Deno.readTextFile(path);
  assert(text.startsWith(USER_PART), "the user's part is not kept byte for byte at the start");
  // Each profile is its own block after a blank line: the header, weep's marker, the command.
  const blocks = text.slice(USER_PART.length - 1).split("\n\n");
  assertEquals(blocks.length, ROLES + 1);
  assertEquals(blocks[0], "");
  assertEquals(blocks.at(-1)?.endsWith("\n"), true);
  const origin = new URL(cm.url).origin;
  // The server lists the roles in ARN order, and generate writes them in the order listed.
  const arns = roles.map((role) => role.arn).sort();
  for (const i of [1, 2, 54_321, ROLES]) {
    const arn = arns[i - 1];
    assertEquals(
      blocks[i]?.trimEnd().split("\n"),
      [
        `[profile ${arn}]`,
        `# managed by weep: consoleme=${origin} role=${arn}`,
        `credential_process = weep credential_process ${arn}`,
      ],
    );
  }

  const again = performance.now();
  const second = await runWeep(home.home, ["generate", "--command", "weep"]);
  const secondMs = performance.now() - again;
  assertEquals(second.code, 0, second.stderr);
  assertEquals(
    second.stderr.trimEnd().split("\n").at(-1),
    `info: added 0, updated 0, renamed 0, removed 0, unchanged ${ROLES}, skipped 0 → ${path}`,
  );
  assertEquals(await Deno.readTextFile(path), text);
  note(`generate ${ROLES} roles: ${Math.round(firstMs)} ms; again: ${Math.round(secondMs)} ms`);
});
