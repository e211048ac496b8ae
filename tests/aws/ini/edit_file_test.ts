import { assertEquals, assertStringIncludes } from "../../support/assert.ts";
import { runWeep } from "../../support/cli.ts";
import { startConsoleMe } from "../../support/consoleme_server.ts";
import { loggedInHome } from "../../support/logged_in.ts";
import { awsFileLockPath } from "../../../src/aws/ini/edit_file.ts";

const ROLE = "arn:aws:iam::012345678903:role/test_account_user";
/** Another local user (nobody); the suite runs as root, so it may chown. */
const OTHER = 65534;

Deno.test("generate does not replace a read-only ~/.aws/config: a clear error, the file untouched, ConsoleMe not asked", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/config`;
  const before = "# managed by hand\n[default]\nregion = eu-west-1\n";
  await Deno.writeTextFile(path, before);
  await Deno.chmod(path, 0o444);
  const result = await runWeep(home.home, ["generate"]);
  assertEquals(result.code, 1, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(
    result.stderr,
    `error: "${path}" is read-only (mode 0444): weep does not replace it\n` +
      "  You (or a tool that manages it) made it read-only; weep respects that\n" +
      `  To let weep write it: chmod u+w "${path}"\n`,
  );
  assertEquals(await Deno.readTextFile(path), before);
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o444);
  assertEquals(cm.count("/api/v2/get_roles"), 0);
  // --dry-run writes nothing, so a read-only file is fine for it.
  const dry = await runWeep(home.home, ["generate", "--dry-run"]);
  assertEquals(dry.code, 0, dry.stderr);
});

Deno.test("weep file does not replace a read-only credentials file", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/credentials`;
  await Deno.writeTextFile(path, "[work]\naws_access_key_id = AKIAWORK\n");
  await Deno.chmod(path, 0o400);
  const result = await runWeep(home.home, ["file", ROLE, "--profile", "dev"]);
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(
    result.stderr,
    `error: "${path}" is read-only (mode 0400): weep does not replace it\n`,
  );
  assertEquals(await Deno.readTextFile(path), "[work]\naws_access_key_id = AKIAWORK\n");
  assertEquals(cm.count("/api/v1/get_credentials"), 0);
});

Deno.test("weep file refuses to write credentials into a file another user owns, before asking ConsoleMe", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/shared-credentials`;
  await Deno.writeTextFile(path, "");
  await Deno.chmod(path, 0o666);
  await Deno.chown(path, OTHER, OTHER);
  const result = await runWeep(home.home, ["file", ROLE, "--output", path]);
  assertEquals(result.code, 1, result.stderr);
  assertStringIncludes(
    result.stderr,
    `error: "${path}" belongs to another user (uid ${OTHER}): weep does not write credentials into it\n`,
  );
  assertEquals(await Deno.readTextFile(path), "");
  assertEquals(cm.count("/api/v1/get_credentials"), 0);
});

Deno.test("each AWS file gets its own lock in weep's locks directory", async () => {
  const a = await awsFileLockPath("/h/.aws/weep/locks", "/h/.aws/credentials", "linux");
  const b = await awsFileLockPath("/h/.aws/weep/locks", "/h/.aws/config", "linux");
  assertEquals(a.startsWith("/h/.aws/weep/locks/aws-file-") && a.endsWith(".lock"), true);
  assertEquals(a === b, false);
  assertEquals(a, await awsFileLockPath("/h/.aws/weep/locks", "/h/.aws/credentials", "linux"));
});
