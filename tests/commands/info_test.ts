import { gatherInfo, infoText, sessionSummary } from "../../src/commands/info.ts";
import type { ConsoleMeRole } from "../../src/consoleme/types.ts";
import { InterruptedError } from "../../src/errors.ts";
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { requireTool } from "../support/tools.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome, storedSession } from "../support/logged_in.ts";
import { appFor } from "../support/in_process.ts";

Deno.test("the session summary shows user and expiry, never the token", () => {
  const session = {
    cookie_name: "consoleme_auth",
    encoded_jwt: "eyJhbGciOiJIUzI1NiJ9.secret.sig",
    expiration: 1_800_000_000,
    user: "alice@example.com",
    consoleme_url: "https://cm.example.com",
  };
  const text = sessionSummary(session, new Date(1_800_000_000_000 - 90_000));
  assertEquals(
    text,
    "user: alice@example.com\nconsoleme_url: https://cm.example.com\ncookie: consoleme_auth (value not shown)\n" +
      "expires: 2027-01-15T08:00:00.000Z (valid for 2 more minutes)\n",
  );
  assertStringIncludes(sessionSummary(session, new Date(1_800_000_600_000)), "expired 10 minutes ago");
  assertEquals(sessionSummary(undefined, new Date()), "No stored login\n");
});

Deno.test("gatherInfo keeps what fails in the bundle: a config that does not load, a ConsoleMe that refuses", async () => {
  await using home = await tempHome();
  await home.writeConfig("consoleme_url: https://cm.example.com\n");
  const { app } = appFor(home.home);
  const role: ConsoleMeRole = {
    arn: "arn:aws:iam::012345678901:role/app",
    accountId: "012345678901",
    accountName: "prod",
    roleName: "app",
    apps: [],
  };
  const deps = {
    ...app,
    loadConfig: () => app.loadConfig({}),
    connect: () => Promise.resolve({ getRoles: () => Promise.resolve([role]) }),
  };
  const facts = await gatherInfo(deps);
  assertEquals([facts.roles, facts.sessions, facts.paths.home], [[role], [], home.home]);
  assertStringIncludes(infoText(facts), "1 roles\nACCOUNT NAME");
  const refused = await gatherInfo({ ...deps, connect: () => Promise.reject(new Error("no login")) });
  assertEquals(refused.roles, { error: "no login" });
  const unloaded = await gatherInfo({ ...deps, loadConfig: () => Promise.reject(new Error("bad yaml")) });
  assertEquals([unloaded.config, unloaded.roles], [{ error: "bad yaml" }, {
    error: "skipped: the configuration did not load",
  }]);
  // An interruption ends it, as it ends every command.
  const interrupted = gatherInfo({ ...deps, connect: () => Promise.reject(new InterruptedError()) });
  assert(await interrupted.then(() => false, (error) => error instanceof InterruptedError));
});

Deno.test("weep info --raw is a readable bundle with config sources, session and roles, without the JWT", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  await Deno.writeTextFile(
    `${home.weep}/install.json`,
    JSON.stringify({ kind: "compiled", path: "/opt/weep" }),
  );
  const result = await runWeep(home.home, ["info", "--raw"]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stderr, "");
  const jwt = (await storedSession(home, cm))!.encoded_jwt;
  assert(!result.stdout.includes(jwt), "the JWT is in the bundle");
  for (
    const part of [
      "== Version ==\nweep ",
      `consoleme_url                    = "${cm.url}"  (${home.weep}/weep.yaml)`,
      'authentication_method            = "challenge"  (default)',
      `credentialsFile: ${home.aws}/credentials`,
      "== Install ==\nkind: compiled\npath: /opt/weep\n",
      `--allow-write=${home.aws}`,
      "user: user@example.com",
      "8 roles\nACCOUNT NAME",
      "arn:aws:iam::012345678902:role/team/deployer",
    ]
  ) assertStringIncludes(result.stdout, part);
});

Deno.test("weep info prints base64 that weep info --decode turns back into the text", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const blob = await runWeep(home.home, ["info"]);
  assertEquals(blob.code, 0, blob.stderr);
  assertEquals(blob.stderr, "");
  assert(/^[A-Za-z0-9+/]+=*\n$/.test(blob.stdout), "not one line of base64");
  const fromStdin = await runWeep(home.home, ["info", "--decode"], { stdin: blob.stdout });
  assertEquals(fromStdin.code, 0, fromStdin.stderr);
  assertStringIncludes(fromStdin.stdout, "== weep support bundle ==\ngenerated: ");
  assertStringIncludes(fromStdin.stdout, "== Roles ==\n8 roles\n");
  // Wrapped copies (mail, chat) decode too.
  const wrapped = blob.stdout.trim().replace(/(.{60})/g, "$1\n  ");
  const fromArg = await runWeep(home.home, ["info", "-d", wrapped]);
  assertEquals(fromArg, { code: 0, stdout: fromStdin.stdout, stderr: "" });
});

Deno.test("weep info keeps ConsoleMe and config failures inside the bundle and exits 0", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  cm.fault("500", { endpoint: "/api/v2/get_roles" });
  const failing = await runWeep(home.home, ["info", "--raw"]);
  assertEquals(failing.code, 0, failing.stderr);
  assertStringIncludes(failing.stdout, "== Roles ==\nCannot list roles: ConsoleMe answered HTTP 500");
  await home.writeConfig("server:\n  port: many\n");
  const invalid = await runWeep(home.home, ["info", "--raw"]);
  assertEquals(invalid.code, 0, invalid.stderr);
  assertStringIncludes(
    invalid.stdout,
    "== Configuration ==\nCannot load the configuration: Invalid config in",
  );
  assertStringIncludes(invalid.stdout, "Cannot list roles: skipped: the configuration did not load");
});

Deno.test("weep info --decode reads bundles from Netflix weep (zlib, base64)", async () => {
  const tool = await requireTool("python3");
  if (!tool) return;
  await using home = await tempHome();
  const python = await new Deno.Command(tool, {
    args: [
      "-c",
      "import base64,zlib,sys; sys.stdout.write(base64.b64encode(zlib.compress(b'Version\\nweep 0.3.31\\n')).decode())",
    ],
    stdout: "piped",
  }).output();
  const blob = new TextDecoder().decode(python.stdout);
  const result = await runWeep(home.home, ["info", "-d"], { stdin: blob });
  assertEquals(result, { code: 0, stdout: "Version\nweep 0.3.31\n", stderr: "" });
});

Deno.test("weep info --decode rejects input that is not a bundle, and needs some input", async () => {
  await using home = await tempHome();
  const garbage = await runWeep(home.home, ["info", "-d", "not base64!"]);
  assertEquals(garbage.code, 1);
  assertEquals(garbage.stdout, "");
  assertStringIncludes(garbage.stderr, "it is not base64 text");
  const notZlib = await runWeep(home.home, ["info", "-d", btoa("plain text, not compressed")]);
  assertEquals(notZlib.code, 1);
  assertStringIncludes(notZlib.stderr, "it is not zlib-compressed text from weep info");
  const empty = await runWeep(home.home, ["info", "--decode"]);
  assertEquals(empty.code, 2);
  assertStringIncludes(empty.stderr, "info --decode needs a bundle");
  const stray = await runWeep(home.home, ["info", "blob"]);
  assertEquals(stray.code, 2);
  assertStringIncludes(stray.stderr, "only with --decode");
});

Deno.test("weep info never starts a login: without one the roles are left out", async () => {
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  await home.writeConfig(`consoleme_url: ${cm.url}\nchallenge_settings:\n  user: ${cm.settings.user}\n`);
  const result = await runWeep(home.home, ["info", "--raw"]);
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, "== Login sessions ==\nNo stored login\n");
  assertStringIncludes(result.stdout, "== Roles ==\nCannot list roles: Not logged in to ConsoleMe");
  assertEquals(cm.requests.length, 0);
});

Deno.test("weep info does not log in again when ConsoleMe rejects the stored login", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  await cm.rotateSecret();
  cm.clearRequests();
  const result = await runWeep(home.home, ["info", "--raw"]);
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, "Cannot list roles: ConsoleMe rejected the login session");
  assertEquals(cm.requests.map((r) => r.path), ["/api/v2/get_roles"]);
});
