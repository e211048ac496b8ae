/**
 * `weep generate` against the test ConsoleMe, editing a hand-kept `~/.aws/config`: through the command tree in
 * this process, and as the real CLI under its real permission set where only a process shows it (files weep may
 * not write, the installed program, file modes, two runs at once). Assertions are on what a user sees: exit
 * code, stdout, stderr and file bytes.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { runInProcess } from "../support/in_process.ts";
import { type ConsoleMeServer, startConsoleMe, syntheticRoles } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { awsFileLockPath } from "../../src/aws/ini/edit_file.ts";
import { pathExists } from "../../src/platform/files.ts";
import { lockFile } from "../../src/platform/locks.ts";

/** The marker older releases of weep wrote: it names no ConsoleMe and no role. */
const MARKER = "# managed by weep: weep may rewrite or remove this profile";
const CMD = "/opt/weep/bin/weep";
/** Roles the server lists in ARN order; the account of `ORPHAN` is `Unknown` to ConsoleMe. */
const APP = "arn:aws:iam::012345678901:role/app_role";
const DEPLOYER = "arn:aws:iam::012345678902:role/team/deployer";
const ORPHAN = "arn:aws:iam::111122223333:role/orphan_reader";
const ROLES = [APP, DEPLOYER, ORPHAN];
/** The one warning every run with ARN-named profiles prints. */
const oldJsWarning = (n: number) =>
  `warning: ${n} profile name(s) contain ".", "/", "%", ":" or "+", which older releases of the AWS SDK for ` +
  "JavaScript v3 ignore\n";

/** Every construct users keep in `~/.aws/config` that botocore accepts (a BOM is tested apart: it does not). */
const HAND_KEPT = [
  "# ~/.aws/config, kept by hand",
  "; work accounts below",
  "",
  "[default]",
  "region = us-east-1",
  "output=json",
  "s3 =",
  "    max_concurrent_requests = 20",
  "    # tuned for the VPN",
  "    addressing_style = path",
  "  # an indented comment",
  "",
  "[profile dev]   ",
  "region\t=\teu-west-1",
  "account = 012345678901",
  "role_session_name = me@example.com",
  "",
  "[sso-session corp]",
  "sso_start_url = https://corp.awsapps.com/start",
  "sso_region = us-east-1",
  "sso_registration_scopes = sso:account:access",
  "",
  "[profile corp-admin]",
  "sso_session = corp",
  "sso_account_id = 012345678901",
  "sso_role_name = AdministratorAccess",
  "",
  "[services local]",
  "s3 =",
  "  endpoint_url = http://localhost:4566",
  "dynamodb =",
  "\tendpoint_url = http://localhost:8000",
  "",
  "[profile local]",
  "services = local",
  "region = us-west-2",
  "",
  "[plugins]",
  "cli_legacy_plugin_path = /opt/aws/plugins",
  "endpoint = awscli_plugin_endpoint",
  "",
  "[profile unicode]",
  "note = \u00fcn\u00efcode \u2713 value#hash a=b",
  "# [profile fake] inside a comment",
  "## ---- end ----",
];

type Eol = "\n" | "\r\n";

/** `lines` joined with `eol` after each line, or between lines only when `final` is false. */
function text(lines: readonly string[], eol: Eol = "\n", final = true): string {
  return lines.join(eol) + (final && lines.length > 0 ? eol : "");
}

/** `original` with `lines` appended as weep appends them (the file's final-newline state kept). */
function appended(original: string, lines: readonly string[], eol: Eol = "\n"): string {
  if (original === "" || original.endsWith("\n")) return original + text(lines, eol);
  return original + eol + text(lines, eol, false);
}

/**
 * Profiles' lines as weep appends them: a blank line before each, as people write them; none before the first
 * when it starts an empty file (`first: false`).
 */
function spaced(blocks: readonly (readonly string[])[], first = true): string[] {
  return blocks.flatMap((block, i) => i === 0 && !first ? block : ["", ...block]);
}

/** The marker weep writes for role `arn` of the ConsoleMe `cm`. */
function marker(cm: ConsoleMeServer, arn: string): string {
  return `# managed by weep: consoleme=${cm.url} role=${arn}`;
}

/** The lines of one profile weep writes for a role of `cm`. */
function blockOf(cm: ConsoleMeServer): (arn: string, name?: string, command?: string) => string[] {
  return (arn, name = arn, command = CMD) => [
    `[profile ${name}]`,
    marker(cm, arn),
    `credential_process = ${command} credential_process ${arn}`,
  ];
}

interface Counts {
  added?: number;
  updated?: number;
  renamed?: number;
  removed?: number;
  unchanged?: number;
  skipped?: number;
}

/** The summary line on stderr. */
function summary(counts: Counts, path: string, dryRun = false): string {
  const c = { added: 0, updated: 0, renamed: 0, removed: 0, unchanged: 0, skipped: 0, ...counts };
  return `info: added ${c.added}, updated ${c.updated}, renamed ${c.renamed}, removed ${c.removed}, ` +
    `unchanged ${c.unchanged}, skipped ${c.skipped}${dryRun ? " (dry run, nothing written)" : ""} → ${path}`;
}

/** The last stderr line (the summary). */
function lastLine(stderr: string): string {
  return stderr.trimEnd().split("\n").at(-1) ?? "";
}

async function bytes(path: string): Promise<Uint8Array> {
  return await Deno.readFile(path);
}

async function modeOf(path: string): Promise<number> {
  return ((await Deno.stat(path)).mode ?? 0) & 0o777;
}

function server(roles: readonly string[] = ROLES): Promise<ConsoleMeServer> {
  return startConsoleMe({ autoApprove: true, roles: [...roles] });
}

const VARIANTS: { name: string; original: string; eol: Eol }[] = [
  { name: "LF, no final newline", original: text(HAND_KEPT, "\n", false), eol: "\n" },
  { name: "CRLF", original: text(HAND_KEPT, "\r\n"), eol: "\r\n" },
  { name: "CRLF, no final newline", original: text(HAND_KEPT, "\r\n", false), eol: "\r\n" },
  {
    name: "mixed endings (mostly LF)",
    original: HAND_KEPT.map((line, i) => line + (i % 5 === 2 ? "\r\n" : "\n")).join(""),
    eol: "\n",
  },
];

Deno.test("generate keeps every byte of a hand-kept config, appends its profiles, and a second run changes nothing", async () => {
  await using cm = await server();
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  for (const { name, original, eol } of VARIANTS) {
    await Deno.writeTextFile(path, original);
    const first = await runInProcess(home.home, ["generate", "--command", CMD]);
    assertEquals([first.code, first.stdout], [0, ""], `${name}: ${first.stderr}`);
    assertEquals(first.stderr, oldJsWarning(3) + summary({ added: 3 }, path) + "\n", name);
    const expected = appended(original, spaced([block(APP), block(DEPLOYER), block(ORPHAN)]), eol);
    assertEquals(await Deno.readTextFile(path), expected, name);

    const second = await runInProcess(home.home, ["generate", "--command", CMD]);
    assertEquals([second.code, second.stdout], [0, ""], `${name}: ${second.stderr}`);
    assertEquals(second.stderr, oldJsWarning(3) + summary({ unchanged: 3 }, path) + "\n", name);
    assertEquals(await Deno.readTextFile(path), expected, name);
  }
});

Deno.test("generate updates a managed profile where it stands, upgrades its older marker and keeps the user's keys", async () => {
  await using cm = await server([APP, DEPLOYER]);
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const before = text([
    "[profile dev]",
    "region = eu-west-1",
    `[profile ${APP}]`,
    MARKER,
    "region = us-west-2",
    "credential_process=weep credential_process old",
    "output = json",
    "",
    "# my notes",
  ]);
  await Deno.writeTextFile(path, before);
  const result = await runInProcess(home.home, ["generate", "--command", CMD]);
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  assertEquals(lastLine(result.stderr), summary({ added: 1, updated: 1 }, path));
  assertEquals(
    await Deno.readTextFile(path),
    text([
      "[profile dev]",
      "region = eu-west-1",
      `[profile ${APP}]`,
      marker(cm, APP),
      "region = us-west-2",
      `credential_process = ${CMD} credential_process ${APP}`,
      "output = json",
      "",
      "# my notes",
      "",
      ...block(DEPLOYER),
    ]),
  );
});

Deno.test("generate --pretty names profiles <account>-<role>; an account ConsoleMe does not know by its id", async () => {
  await using cm = await server();
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const result = await runInProcess(home.home, ["generate", "--pretty", "--command", CMD]);
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  assertEquals(lastLine(result.stderr), summary({ added: 3 }, path));
  assertEquals(
    await Deno.readTextFile(path),
    text(spaced([
      block(APP, "consoleme-oss-1-app-role"),
      block(DEPLOYER, "consoleme-oss-2-team/deployer"),
      block(ORPHAN, "111122223333-orphan-reader"),
    ], false)),
  );
});

Deno.test("generate --include and --exclude choose roles by glob on ARN, account name or role name", async () => {
  await using cm = await server();
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const cases: [string[], string[]][] = [
    [["--include", "consoleme_OSS_*"], [APP, DEPLOYER]],
    [["--include", "consoleme_oss_*", "--exclude", "deployer"], [APP]],
    [["--include", "*:111122223333:*", "--include", "app_?ole"], [APP, ORPHAN]],
    [["--exclude", "team/*"], [APP, ORPHAN]],
    [["--include", "nothing-matches"], []],
  ];
  for (const [flags, arns] of cases) {
    await Deno.remove(path).catch(() => {});
    const result = await runInProcess(home.home, ["generate", "--command", CMD, ...flags]);
    assertEquals([result.code, result.stdout], [0, ""], result.stderr);
    assertEquals(lastLine(result.stderr), summary({ added: arns.length }, path), flags.join(" "));
    const written = arns.length === 0 ? undefined : text(spaced(arns.map((arn) => block(arn)), false));
    assertEquals(await Deno.readTextFile(path).catch(() => undefined), written, flags.join(" "));
  }
});

Deno.test("generate --prune removes only managed profiles of roles that are gone; without it nothing is removed", async () => {
  await using cm = await server();
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const gone = "arn:aws:iam::012345678903:role/gone";
  const user = ["[profile dev]", "region = eu-west-1", `[profile ${gone}]`, "region = us-east-1", ""];
  await Deno.writeTextFile(path, text(user));
  assertEquals((await runInProcess(home.home, ["generate", "--command", CMD])).code, 0);
  // A note the user put after a managed profile stays when the profile goes; the blank line generate put before
  // each profile goes with it.
  const full = text([
    ...user,
    ...spaced([block(APP), [...block(DEPLOYER), "# deployer is ours"], block(ORPHAN)]),
  ]);
  await Deno.writeTextFile(path, full);

  cm.setRoles([DEPLOYER]);
  const kept = await runInProcess(home.home, ["generate", "--command", CMD]);
  assertEquals([kept.code, kept.stdout], [0, ""], kept.stderr);
  assertEquals(lastLine(kept.stderr), summary({ unchanged: 1 }, path));
  assertEquals(await Deno.readTextFile(path), full);

  const pruned = await runInProcess(home.home, ["generate", "--command", CMD, "--prune"]);
  assertEquals([pruned.code, pruned.stdout], [0, ""], pruned.stderr);
  assertEquals(lastLine(pruned.stderr), summary({ removed: 2, unchanged: 1 }, path));
  assertEquals(
    await Deno.readTextFile(path),
    text([...user, "", ...block(DEPLOYER), "# deployer is ours"]),
  );

  // An empty list (an outage page read as one, a new account) would remove everything: only with --force.
  cm.setRoles([]);
  const before = await Deno.readTextFile(path);
  const refused = await runInProcess(home.home, ["generate", "--command", CMD, "--prune"]);
  assertEquals([refused.code, refused.stdout], [1, ""], refused.stderr);
  assertStringIncludes(
    refused.stderr,
    `error: ConsoleMe at "${cm.url}" lists no roles for you: refusing to --prune, which would remove every ` +
      "profile weep wrote from it\n  Nothing was changed\n  If every role really is gone, run the same command " +
      "with --force to remove their profiles\n",
  );
  assertEquals(await Deno.readTextFile(path), before);
  const empty = await runInProcess(home.home, ["generate", "--command", CMD, "--prune", "--force"]);
  assertEquals(empty.code, 0, empty.stderr);
  assertEquals(lastLine(empty.stderr), summary({ removed: 1 }, path));
  assertEquals(await Deno.readTextFile(path), text([...user, "# deployer is ours"]));
});

Deno.test("generate --prune with --include keeps only the included roles' managed profiles", async () => {
  await using cm = await server();
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  await Deno.writeTextFile(path, "[profile dev]\nregion = eu-west-1\n");
  assertEquals((await runInProcess(home.home, ["generate", "--command", CMD])).code, 0);
  const result = await runInProcess(home.home, [
    "generate",
    "--command",
    CMD,
    "--prune",
    "--include",
    "*deployer",
  ]);
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  assertEquals(lastLine(result.stderr), summary({ removed: 2, unchanged: 1 }, path));
  assertEquals(
    await Deno.readTextFile(path),
    "[profile dev]\nregion = eu-west-1\n" + text(["", ...block(DEPLOYER)]),
  );
});

Deno.test("generate skips a same-named profile it did not write, with a warning; --force takes it over", async () => {
  await using cm = await server([APP, DEPLOYER]);
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const mine = [
    "[profile dev]",
    "region = eu-west-1",
    `[profile ${APP}]`,
    "region = us-west-2",
    "output = json",
  ];
  await Deno.writeTextFile(path, text(mine));

  const skipped = await runInProcess(home.home, ["generate", "--command", CMD]);
  assertEquals([skipped.code, skipped.stdout], [0, ""], skipped.stderr);
  assertStringIncludes(
    skipped.stderr,
    `warning: Skipped profile "${APP}": it was not written by weep (no marker under its header at line 3); ` +
      "use --force to let weep manage it\n",
  );
  assertEquals(lastLine(skipped.stderr), summary({ added: 1, skipped: 1 }, path));
  assertEquals(await Deno.readTextFile(path), text([...mine, "", ...block(DEPLOYER)]));

  const forced = await runInProcess(home.home, ["generate", "--command", CMD, "--force"]);
  assertEquals([forced.code, forced.stdout], [0, ""], forced.stderr);
  assert(!forced.stderr.includes("Skipped profile"), forced.stderr);
  assertEquals(lastLine(forced.stderr), summary({ updated: 1, unchanged: 1 }, path));
  const taken = text([
    "[profile dev]",
    "region = eu-west-1",
    `[profile ${APP}]`,
    marker(cm, APP),
    "region = us-west-2",
    "output = json",
    `credential_process = ${CMD} credential_process ${APP}`,
    "",
    ...block(DEPLOYER),
  ]);
  assertEquals(await Deno.readTextFile(path), taken);

  // Managed from now on: the next run without --force leaves it as it is.
  const again = await runInProcess(home.home, ["generate", "--command", CMD]);
  assertEquals(lastLine(again.stderr), summary({ unchanged: 2 }, path));
  assertEquals(await Deno.readTextFile(path), taken);
});

Deno.test("generate --dry-run prints a unified diff on stdout and writes nothing", async () => {
  await using cm = await server([APP, DEPLOYER]);
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const before = text(["# mine", "[profile dev]", "region = eu-west-1"]);
  await Deno.writeTextFile(path, before);
  await Deno.chmod(path, 0o640);
  const info = await Deno.stat(path);

  const dry = await runInProcess(home.home, ["generate", "--command", CMD, "--dry-run"]);
  assertEquals(dry.code, 0, dry.stderr);
  assertEquals(
    dry.stdout,
    `--- ${path}\n+++ ${path}\n@@ -1,3 +1,11 @@\n # mine\n [profile dev]\n region = eu-west-1\n` +
      spaced([block(APP), block(DEPLOYER)]).map((line) => `+${line}\n`).join(""),
  );
  assertEquals(lastLine(dry.stderr), summary({ added: 2 }, path, true));
  assertEquals(await Deno.readTextFile(path), before);
  const after = await Deno.stat(path);
  assertEquals([after.mtime?.getTime(), after.ino, await modeOf(path)], [
    info.mtime?.getTime(),
    info.ino,
    0o640,
  ]);
  assertEquals(await pathExists(`${path}.weep-tmp`), false);

  // Once written, a dry run has nothing to show.
  assertEquals((await runInProcess(home.home, ["generate", "--command", CMD])).code, 0);
  const none = await runInProcess(home.home, ["generate", "--command", CMD, "--dry-run"]);
  assertEquals([none.code, none.stdout], [0, ""], none.stderr);
  assertEquals(lastLine(none.stderr), summary({ unchanged: 2 }, path, true));
});

Deno.test("generate --dry-run on a file that does not exist creates neither the file nor its directory", async () => {
  await using cm = await server([APP]);
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/new/config`;
  const dry = await runInProcess(home.home, ["generate", "--command", CMD, "--dry-run", "-o", path]);
  assertEquals(dry.code, 0, dry.stderr);
  assertEquals(
    dry.stdout,
    `--- ${path}\n+++ ${path}\n@@ -0,0 +1,3 @@\n` + block(APP).map((l) => `+${l}\n`).join(""),
  );
  assertEquals(lastLine(dry.stderr), summary({ added: 1 }, path, true));
  assertEquals(await pathExists(`${home.aws}/new`), false);
});

Deno.test("a ConsoleMe failure while listing roles leaves the file byte-identical and prints nothing on stdout", async () => {
  await using cm = await server();
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const before = new TextEncoder().encode(VARIANTS[1]!.original);
  await Deno.writeFile(path, before);
  for (const kind of ["500", "html"] as const) {
    cm.clearRequests();
    cm.fault(kind, { endpoint: "/api/v2/get_roles*", times: Infinity });
    const result = await runInProcess(home.home, ["generate", "--command", CMD]);
    cm.clearFaults();
    assertEquals([result.code, result.stdout], [1, ""], `${kind}: ${result.stderr}`);
    assertStringIncludes(result.stderr, "error: ", kind);
    assert(!result.stderr.includes("info: added"), result.stderr);
    assert(cm.count("/api/v2/get_roles") > 0, `${kind}: weep did not ask for the roles`);
    assertEquals(await bytes(path), before, kind);
    assertEquals(await pathExists(`${path}.weep-tmp`), false, kind);
  }
});

Deno.test("generate refuses a file AWS tools reject, names the line, changes nothing and does not ask ConsoleMe", async () => {
  await using cm = await server();
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const cases: [string, string][] = [
    [
      "[profile dev]\nregion = eu-west-1\n\n[default]\n[profile dev]\n",
      "Line 5: duplicate section [profile dev] (first at line 1)",
    ],
    [
      "# x\n[default]\nregion = eu-west-1\nRegion = us-east-1\n",
      'Line 4: duplicate key "region" in [default] (first at line 3)',
    ],
  ];
  for (const [before, line] of cases) {
    for (const flags of [[], ["--dry-run"], ["--force", "--prune"]]) {
      await Deno.writeTextFile(path, before);
      const result = await runInProcess(home.home, ["generate", "--command", CMD, ...flags]);
      assertEquals([result.code, result.stdout], [1, ""], result.stderr);
      assertStringIncludes(result.stderr, `error: Refusing to edit "${path}"`);
      assertStringIncludes(result.stderr, `  ${line}`);
      assertStringIncludes(result.stderr, "weep changed nothing");
      assertEquals(await Deno.readTextFile(path), before);
    }
  }
  assertEquals(cm.count("/api/v2/get_roles"), 0);
});

Deno.test("generate keeps a UTF-8 byte order mark and warns that the AWS CLI and boto3 cannot read such a file", async () => {
  await using cm = await server([APP]);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const before = "\uFEFF# mine\r\n[default]\r\nregion = eu-west-1\r\n";
  await Deno.writeFile(path, new TextEncoder().encode(before));
  const result = await runInProcess(home.home, ["generate", "--command", CMD]);
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  assertStringIncludes(result.stderr, "line 1: the file starts with a UTF-8 byte order mark");
  const after = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await Deno.readFile(path));
  assert(after.startsWith(before), "the BOM and every original byte are kept");
  assertStringIncludes(after, "\r\n[profile ");
});

Deno.test("-o and AWS_CONFIG_FILE choose the file; -o outside what weep may write fails with the permission message", async () => {
  await using cm = await server([APP]);
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const profile = text(block(APP));
  const appendedProfile = text(["", ...block(APP)]);

  const viaFlag = await runWeep(home.home, ["generate", "--command", CMD, "-o", `${home.aws}/team-config`]);
  assertEquals([viaFlag.code, viaFlag.stdout], [0, ""], viaFlag.stderr);
  assertEquals(await Deno.readTextFile(`${home.aws}/team-config`), profile);
  assertEquals(await pathExists(`${home.aws}/config`), false);

  // A relative -o is the file in the working directory; the summary names it absolutely.
  const relative = await runWeep(home.home, ["generate", "--command", CMD, "-o", "rel-config"], {
    cwd: home.aws,
  });
  assertEquals(relative.code, 0, relative.stderr);
  assertEquals(lastLine(relative.stderr), summary({ added: 1 }, `${home.aws}/rel-config`));
  assertEquals(await Deno.readTextFile(`${home.aws}/rel-config`), profile);

  // AWS_CONFIG_FILE may name a file outside ~/.aws, in a directory weep may not otherwise touch.
  await Deno.mkdir(`${home.home}/dotfiles`, { mode: 0o755 });
  const elsewhere = `${home.home}/dotfiles/aws-config`;
  await Deno.writeTextFile(elsewhere, "[default]\nregion = eu-west-1\n");
  const viaEnv = await runWeep(home.home, ["generate", "--command", CMD], {
    env: { AWS_CONFIG_FILE: elsewhere },
  });
  assertEquals([viaEnv.code, viaEnv.stdout], [0, ""], viaEnv.stderr);
  assertEquals(lastLine(viaEnv.stderr), summary({ added: 1 }, elsewhere));
  assertEquals(await Deno.readTextFile(elsewhere), "[default]\nregion = eu-west-1\n" + appendedProfile);
  assertEquals(await pathExists(`${home.aws}/config`), false);
  assertEquals(await Array.fromAsync(Deno.readDir(`${home.home}/dotfiles`), (e) => e.name), ["aws-config"]);

  const outside = `${home.home}/outside-config`;
  const denied = await runWeep(home.home, ["generate", "--command", CMD, "-o", outside]);
  assertEquals([denied.code, denied.stdout], [1, ""], denied.stderr);
  assertStringIncludes(
    denied.stderr,
    `error: Cannot read "${outside}": this weep's permissions do not allow it`,
  );
  assertStringIncludes(denied.stderr, "AWS_CONFIG_FILE");
  assertEquals(await pathExists(outside), false);
});

Deno.test("generate keeps an existing file's mode; a new file is 0600 in new 0700 directories", async () => {
  await using cm = await server([APP]);
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  await Deno.writeTextFile(path, "[default]\n");
  await Deno.chmod(path, 0o640);
  const kept = await runWeep(home.home, ["generate", "--command", CMD]);
  assertEquals(kept.code, 0, kept.stderr);
  assertEquals(await modeOf(path), 0o640);
  assertEquals(await Deno.readTextFile(path), "[default]\n" + text(["", ...block(APP)]));

  const fresh = `${home.aws}/team/shared/config`;
  const created = await runWeep(home.home, ["generate", "--command", CMD, "-o", fresh]);
  assertEquals(created.code, 0, created.stderr);
  assertEquals(
    [await modeOf(`${home.aws}/team`), await modeOf(`${home.aws}/team/shared`), await modeOf(fresh)],
    [0o700, 0o700, 0o600],
  );
});

Deno.test("the profiles run --command verbatim, else weep from PATH or the installed weep's absolute path", async () => {
  await using cm = await server([APP]);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const line = async () =>
    (await Deno.readTextFile(path)).split("\n").find((l) => l.startsWith("credential_process"));
  const generate = async (args: string[], env: Record<string, string> = {}) => {
    await Deno.remove(path).catch(() => {});
    const result = await runWeep(home.home, ["generate", ...args], { env });
    assertEquals([result.code, result.stdout], [0, ""], result.stderr);
    return result.stderr;
  };
  const notInstalled = "warning: weep is not installed; the profiles run `weep` from PATH " +
    "(install it with `deno task install`)\n";

  assert(!(await generate(["--command", "/opt/x/weep --region eu-west-1"])).includes("not installed"));
  assertEquals(await line(), `credential_process = /opt/x/weep --region eu-west-1 credential_process ${APP}`);

  // Run from source, with no install record: `weep`, and a warning.
  assertStringIncludes(await generate([]), notInstalled);
  assertEquals(await line(), `credential_process = weep credential_process ${APP}`);

  const bin = `${home.home}/.deno/bin`;
  await Deno.writeTextFile(
    `${home.weep}/install.json`,
    JSON.stringify({ kind: "shim", path: `${bin}/weep` }),
  );
  const offPath = await generate([]);
  assertEquals(offPath, oldJsWarning(1) + summary({ added: 1 }, path) + "\n");
  assertEquals(await line(), `credential_process = ${bin}/weep credential_process ${APP}`);

  // On PATH is not enough: only when the installer saw this weep come first on PATH.
  const onPath = await generate([], { PATH: `${bin}/:${Deno.env.get("PATH")}` });
  assertEquals(onPath, oldJsWarning(1) + summary({ added: 1 }, path) + "\n");
  assertEquals(await line(), `credential_process = ${bin}/weep credential_process ${APP}`);
  await Deno.writeTextFile(
    `${home.weep}/install.json`,
    JSON.stringify({ kind: "shim", path: `${bin}/weep`, firstOnPath: true }),
  );
  assertEquals(await generate([]), oldJsWarning(1) + summary({ added: 1 }, path) + "\n");
  assertEquals(await line(), `credential_process = weep credential_process ${APP}`);

  // A path with a space is quoted (botocore splits the line like a shell), with a warning.
  const spaced = `${home.home}/my tools/weep`;
  await Deno.writeTextFile(`${home.weep}/install.json`, JSON.stringify({ kind: "shim", path: spaced }));
  assertStringIncludes(await generate([]), `warning: The path of weep has spaces (${spaced})`);
  assertEquals(await line(), `credential_process = "${spaced}" credential_process ${APP}`);

  // A config file given with -c goes into the profiles as an absolute path: AWS tools run them anywhere.
  await Deno.remove(`${home.weep}/install.json`);
  await Deno.copyFile(`${home.weep}/weep.yaml`, `${home.weep}/team.yaml`);
  const withConfig = await runWeep(home.home, ["-c", "team.yaml", "generate", "-o", path], {
    cwd: home.weep,
  });
  assertEquals(withConfig.code, 0, withConfig.stderr);
  assertEquals(
    await line(),
    `credential_process = weep credential_process --config ${home.weep}/team.yaml ${APP}`,
  );

  // The role chain, --no-ip and --region go into the profiles too (Netflix weep dropped them).
  const chain = "arn:aws:iam::210987654321:role/deployer";
  const withFlags = await runWeep(home.home, ["-n", "-A", chain, "-r", "eu-west-1", "generate", "-o", path]);
  assertEquals(withFlags.code, 0, withFlags.stderr);
  assertEquals(
    await line(),
    `credential_process = weep credential_process -n -A ${chain} -r eu-west-1 ${APP}`,
  );
  const badChain = await runWeep(home.home, ["-A", "not-an-arn", "generate", "-o", path]);
  assertEquals([badChain.code, badChain.stdout], [2, ""]);
  assertStringIncludes(badChain.stderr, 'Invalid role ARN "not-an-arn" for --assume-role');
});

Deno.test("generate never writes a role ARN a shell would interpret into a command line", async () => {
  const evil = "arn:aws:iam::012345678901:role/pa$(touch${IFS}/tmp/pwned)th/inj_role";
  await using cm = await server([APP, evil]);
  await using home = await loggedInHome(cm);
  const result = await runInProcess(home.home, ["generate", "--command", CMD]);
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  assertStringIncludes(
    result.stderr,
    `Skipped role "${evil}": its ARN has characters a shell would interpret`,
  );
  const config = await Deno.readTextFile(`${home.aws}/config`);
  assert(!config.includes("$("), "no shell syntax in the config");
  assertStringIncludes(config, `credential_process ${APP}`);
});

Deno.test("generate warns about profiles that ~/.aws/credentials or keys in the profile would shadow", async () => {
  await using cm = await server([APP, DEPLOYER]);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const credentials = `${home.aws}/credentials`;
  await Deno.writeTextFile(
    credentials,
    `# static keys\n[other]\naws_access_key_id = AKIAOTHER\n[${DEPLOYER}]\nregion = x\n`,
  );
  await Deno.writeTextFile(
    path,
    text([
      `[profile ${APP}]`,
      marker(cm, APP),
      "role_arn = arn:aws:iam::012345678901:role/x",
      "sso_start_url = https://x",
    ]),
  );
  const result = await runInProcess(home.home, ["generate", "--command", CMD]);
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  assertStringIncludes(
    result.stderr,
    `warning: Profile "${DEPLOYER}" also has a section in ${credentials} (line 4): AWS clients will use those ` +
      "keys instead of credential_process; remove that section to use weep\n",
  );
  assertStringIncludes(
    result.stderr,
    `warning: Profile "${APP}" keeps role_arn, sso_start_url, which AWS tools use before credential_process\n`,
  );
  assert(!result.stderr.includes('Profile "other"'), result.stderr);
  assertEquals(lastLine(result.stderr), summary({ added: 1, updated: 1 }, path));
});

Deno.test("a credentials file weep cannot read only costs the shadowing check: the config is written, exit 0", async () => {
  await using cm = await server([APP]);
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  await Deno.writeFile(`${home.aws}/credentials`, new Uint8Array([0x5b, 0xff, 0x5d, 0x0a]));
  const result = await runInProcess(home.home, ["generate", "--command", CMD]);
  assertEquals([result.code, result.stdout], [0, ""], result.stderr);
  assertStringIncludes(
    result.stderr,
    `warning: Cannot check ${home.aws}/credentials for sections that shadow`,
  );
  assertEquals(lastLine(result.stderr), summary({ added: 1 }, path));
  assertEquals(await Deno.readTextFile(path), text(block(APP)));
});

Deno.test("credential_process --generate and generate_credential_process_config do what generate does", async () => {
  await using cm = await server();
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const runs: Record<string, string[]> = {
    generate: ["generate", "-p"],
    "credential-process": ["credential_process", "--generate", "-p"],
    "credential-process-g": ["credential_process", "-g", "-p"],
    "old-name": ["generate_credential_process_config", "-p"],
  };
  const stderrs = new Set<string>();
  for (const [name, args] of Object.entries(runs)) {
    const path = `${home.aws}/${name}`;
    await Deno.writeTextFile(path, VARIANTS[0]!.original);
    const result = await runInProcess(home.home, [...args, "-o", path, "--command", CMD]);
    assertEquals([result.code, result.stdout], [0, ""], `${name}: ${result.stderr}`);
    stderrs.add(result.stderr.replaceAll(path, "<file>"));
    assertEquals(lastLine(result.stderr), summary({ added: 3 }, path), name);
    assertEquals(
      await Deno.readTextFile(path),
      appended(
        VARIANTS[0]!.original,
        spaced([
          block(APP, "consoleme-oss-1-app-role"),
          block(DEPLOYER, "consoleme-oss-2-team/deployer"),
          block(ORPHAN, "111122223333-orphan-reader"),
        ]),
      ),
      name,
    );
  }
  assertEquals(stderrs.size, 1, [...stderrs].join("\n"));

  const usage = await runInProcess(home.home, [
    "credential_process",
    "--generate",
    APP,
    "-o",
    `${home.aws}/x`,
  ]);
  assertEquals([usage.code, usage.stdout], [2, ""], usage.stderr);
  assertStringIncludes(usage.stderr, "error: credential_process --generate takes no role");
  assertEquals(await pathExists(`${home.aws}/x`), false);
  assertEquals(cm.count("/api/v2/get_roles"), Object.keys(runs).length);
});

/** Resolves once `count` processes wait for the lock on `lockPath` (Linux: `/proc/locks`; elsewhere a pause). */
async function lockWaiters(lockPath: string, count: number): Promise<void> {
  const ino = (await Deno.stat(lockPath)).ino;
  for (;;) {
    let table: string;
    try {
      table = await Deno.readTextFile("/proc/locks");
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return;
    }
    const waiting = table.split("\n").filter((line) => line.includes("->") && line.includes(`:${ino} `));
    if (waiting.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("two generate runs at once on one file both succeed, and the file holds both runs' profiles whole", async () => {
  const roles = syntheticRoles(400).map((role) => role.arn);
  await using cm = await server(roles);
  const block = blockOf(cm);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const original = text(HAND_KEPT);
  const sorted = [...roles].sort();
  const low = sorted.filter((arn) => arn.includes("synthetic_role_000"));
  const high = sorted.filter((arn) => !arn.includes("synthetic_role_000"));
  const blocks = (arns: string[]) => arns.map((arn) => block(arn));
  const lowFirst = appended(original, spaced([...blocks(low), ...blocks(high)]));
  const highFirst = appended(original, spaced([...blocks(high), ...blocks(low)]));
  const both = () =>
    Promise.all([
      runWeep(home.home, ["generate", "--command", CMD, "--include", "*synthetic_role_000*"]),
      runWeep(home.home, ["generate", "--command", CMD, "--exclude", "*synthetic_role_000*"]),
    ]);
  const lockPath = await awsFileLockPath(`${home.weep}/locks`, path, Deno.build.os);
  // Round 0 holds weep's lock on the file until both runs have read it and wait for the lock, so both planned
  // on the original text: the second writer must plan again on what the first wrote. Round 1 runs freely.
  for (const held of [true, false]) {
    await Deno.writeTextFile(path, original);
    const lock = held ? await lockFile(lockPath) : undefined;
    const runs = both();
    if (lock) {
      await lockWaiters(lockPath, 2);
      await lock.release();
    }
    const [a, b] = await runs;
    assertEquals([a.code, a.stdout, b.code, b.stdout], [0, "", 0, ""], a.stderr + b.stderr);
    assertEquals(lastLine(a.stderr), summary({ added: low.length }, path));
    assertEquals(lastLine(b.stderr), summary({ added: high.length }, path));
    const result = await Deno.readTextFile(path);
    assert(
      result === lowFirst || result === highFirst,
      `held ${held}: the file is not one run after the other`,
    );
    assertEquals(await pathExists(`${path}.weep-tmp`), false);
  }
});

Deno.test("generate refuses a config path a shell would read as code, and leaves the AWS config as it was", async () => {
  await using cm = await server([APP]);
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const before = "[profile mine]\nregion = eu-west-1\n";
  await Deno.writeTextFile(path, before);
  await Deno.mkdir(`${home.weep}/$HOME`);
  await Deno.copyFile(`${home.weep}/weep.yaml`, `${home.weep}/$HOME/weep.yaml`);
  cm.clearRequests();
  const result = await runWeep(home.home, ["-c", "$HOME/weep.yaml", "generate"], { cwd: home.weep });
  assertEquals([result.code, result.stdout], [2, ""]);
  assertEquals(
    result.stderr,
    `error: Cannot write the path of --config "${home.weep}/$HOME/weep.yaml" into the profiles' command line: ` +
      "it holds '$', which the shell AWS tools run the line with would read as code; use a path without it\n",
  );
  assertEquals(await Deno.readTextFile(path), before);
  assertEquals(cm.requests.length, 0, "ConsoleMe was not asked");
});
