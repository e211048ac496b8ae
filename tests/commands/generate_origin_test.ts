/**
 * `weep generate` with two ConsoleMes (two weep configs) running at once, through the command tree: each run
 * updates, renames and prunes only its own ConsoleMe's profiles, matched by role ARN, and leaves every byte of
 * the other's and of the user's.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runInProcess } from "../support/in_process.ts";
import { type ConsoleMeServer, startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome, logIn } from "../support/logged_in.ts";

const CMD = "/opt/weep/bin/weep";
const MARKER = "# managed by weep: weep may rewrite or remove this profile";
const APP = "arn:aws:iam::012345678901:role/app_role";
const DEPLOYER = "arn:aws:iam::012345678902:role/team/deployer";
const ORPHAN = "arn:aws:iam::111122223333:role/orphan_reader";

/** The lines of the profile weep writes for `arn` of `cm`, running `flags` after credential_process. */
function block(cm: ConsoleMeServer, arn: string, name = arn, flags = ""): string[] {
  return [
    `[profile ${name}]`,
    `# managed by weep: consoleme=${cm.url} role=${arn}`,
    `credential_process = ${CMD} credential_process ${flags}${arn}`,
  ];
}

const text = (lines: string[]) => lines.map((line) => `${line}\n`).join("");

/** Two ConsoleMes that both list APP, a home logged in to both: A in weep.yaml, B in b.yaml. */
async function twoConsoleMes() {
  const a = await startConsoleMe({ roles: [APP, DEPLOYER] });
  const b = await startConsoleMe({ roles: [APP, ORPHAN] });
  const home = await loggedInHome(a);
  await logIn(home, b);
  const bConfig = `${home.weep}/b.yaml`;
  await Deno.writeTextFile(
    bConfig,
    `consoleme_url: ${b.url}\nchallenge_settings:\n  user: ${b.settings.user}\n`,
  );
  return {
    a,
    b,
    home,
    bConfig,
    /** `--config <b.yaml> ` as B's profiles run it. */
    bFlags: `--config ${bConfig} `,
    path: `${home.aws}/config`,
    /** `weep generate --command CMD flags…` for A's configuration, or with `-c b.yaml` for B's. */
    generate: (cm: "a" | "b", ...flags: string[]) =>
      runInProcess(home.home, [
        ...(cm === "b" ? ["-c", bConfig] : []),
        "generate",
        "--command",
        CMD,
        ...flags,
      ]),
    async [Symbol.asyncDispose]() {
      await a.close();
      await b.close();
      await home[Symbol.asyncDispose]();
    },
  };
}

Deno.test("generate --prune for one ConsoleMe never removes another ConsoleMe's profiles", async () => {
  await using t = await twoConsoleMes();
  const { a, b, path } = t;
  const mine = ["# mine", "[profile dev]", "region = eu-west-1"];
  await Deno.writeTextFile(path, text(mine));
  const fromA = await t.generate("a");
  assertEquals(fromA.code, 0, fromA.stderr);
  const fromB = await t.generate("b", "--prune", "--pretty");
  assertEquals([fromB.code, fromB.stdout], [0, ""], fromB.stderr);
  // B's APP profile would be called "consoleme-oss-1-app-role" (A's is named by its ARN): no clash.
  const both = text([
    ...mine,
    "",
    ...block(a, APP),
    "",
    ...block(a, DEPLOYER),
    "",
    ...block(b, APP, "consoleme-oss-1-app-role", t.bFlags),
    "",
    ...block(b, ORPHAN, "111122223333-orphan-reader", t.bFlags),
  ]);
  assertEquals(await Deno.readTextFile(path), both);
  assertStringIncludes(fromB.stderr, "added 2, updated 0, renamed 0, removed 0, unchanged 0, skipped 0");

  // A's role list shrinks: A's prune removes only A's profile of the role that is gone.
  a.setRoles([APP]);
  const pruned = await t.generate("a", "--prune");
  assertEquals(pruned.code, 0, pruned.stderr);
  // The profile goes with the blank line generate put before it.
  assertEquals(await Deno.readTextFile(path), both.replace(text(["", ...block(a, DEPLOYER)]), ""));
  // B's run with B's same list changes nothing at all.
  const again = await t.generate("b", "--prune", "--pretty");
  assertStringIncludes(again.stderr, "added 0, updated 0, renamed 0, removed 0, unchanged 2, skipped 0");
});

Deno.test("after ARN-named runs, generate --pretty --prune renames its own profiles in place and keeps the other's", async () => {
  await using t = await twoConsoleMes();
  const { a, b, path } = t;
  for (const cm of ["a", "b"] as const) {
    const result = await t.generate(cm);
    assertEquals(result.code, 0, result.stderr);
  }
  // A's APP profile clashed with B's by name (both are the ARN): B skipped it.
  const generated = text([
    ...block(a, APP),
    "",
    ...block(a, DEPLOYER),
    "",
    ...block(b, ORPHAN, ORPHAN, t.bFlags),
  ]);
  assertEquals(await Deno.readTextFile(path), generated);
  // The user adds keys and a profile of their own between weep's.
  const edited = generated
    .replace(`${APP}\n`, `${APP}\nregion = us-west-2\n`)
    .replace(`[profile ${DEPLOYER}]`, `[profile mine]\nregion = x\n\n[profile ${DEPLOYER}]`);
  await Deno.writeTextFile(path, edited);

  const pretty = await t.generate("a", "--pretty", "--prune");
  assertEquals([pretty.code, pretty.stdout], [0, ""], pretty.stderr);
  assertStringIncludes(pretty.stderr, "added 0, updated 0, renamed 2, removed 0, unchanged 0, skipped 0");
  assertEquals(
    await Deno.readTextFile(path),
    edited
      .replace(`[profile ${APP}]`, "[profile consoleme-oss-1-app-role]")
      .replace(`[profile ${DEPLOYER}]`, "[profile consoleme-oss-2-team/deployer]"),
  );
});

Deno.test("profiles an older weep wrote are upgraded in place by the run of their own configuration only", async () => {
  await using t = await twoConsoleMes();
  const { a, b, path } = t;
  const old = (arn: string, flags = "") => [
    `[profile ${arn}]`,
    MARKER,
    `credential_process = ${CMD} credential_process ${flags}${arn}`,
  ];
  // Written by a release without origins: A's from the default config, B's with -c b.yaml.
  await Deno.writeTextFile(path, text([...old(APP), ...old(DEPLOYER), ...old(ORPHAN, t.bFlags)]));
  a.setRoles([APP]);
  const fromA = await t.generate("a", "--prune");
  assertEquals(fromA.code, 0, fromA.stderr);
  assertStringIncludes(fromA.stderr, "added 0, updated 1, renamed 0, removed 1, unchanged 0, skipped 0");
  assertEquals(await Deno.readTextFile(path), text([...block(a, APP), ...old(ORPHAN, t.bFlags)]));
  const fromB = await t.generate("b");
  assertEquals(fromB.code, 0, fromB.stderr);
  assertEquals(
    await Deno.readTextFile(path),
    text([...block(a, APP), ...block(b, ORPHAN, ORPHAN, t.bFlags)]),
    "B's old profile is upgraded; APP is A's by name, so B skips it",
  );
  assertStringIncludes(
    fromB.stderr,
    `Skipped profile "${APP}": the name is taken by weep's profile from the`,
  );
});
