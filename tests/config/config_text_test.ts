import { configFileProblem } from "../../src/config/config_text.ts";
import { assertEquals } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";

const ROLE = "test_account_user";
/** The user the tests make "another local user" (nobody); the suite runs as root, so it may chown. */
const OTHER = 65534;

Deno.test("configFileProblem accepts the user's or root's file that only its owner can change", () => {
  const info = (extra: Partial<Deno.FileInfo>) =>
    ({
      isFile: true,
      isSymlink: false,
      isDirectory: false,
      uid: 1000,
      mode: 0o100644,
      ...extra,
    }) as Deno.FileInfo;
  assertEquals(configFileProblem(info({}), 1000), undefined);
  assertEquals(configFileProblem(info({ uid: 0 }), 1000), undefined);
  assertEquals(configFileProblem(info({ uid: null, mode: null }), null), undefined);
  assertEquals(configFileProblem(info({ uid: 1001 }), 1000), "belongs to another user (uid 1001)");
  assertEquals(
    configFileProblem(info({ mode: 0o100664 }), 1000),
    "can be changed by other users (mode 0664)",
  );
  assertEquals(
    configFileProblem(info({ mode: 0o100646 }), 1000),
    "can be changed by other users (mode 0646)",
  );
  assertEquals(configFileProblem(info({ isFile: false }), 1000), "is not a regular file");
});

Deno.test("weep refuses a weep.yaml that another user owns or can change, and asks ConsoleMe nothing", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const config = `${home.weep}/weep.yaml`;
  const yaml = await Deno.readTextFile(config);
  const refused = async (problem: string, fix: string) => {
    cm.clearRequests();
    // What someone else would do with such a file: change it (so no stored snapshot of it stands in).
    await Deno.writeTextFile(config, `${yaml}# changed\n`);
    const result = await runWeep(home.home, ["credential_process", ROLE]);
    assertEquals([result.code, result.stdout], [1, ""]);
    assertEquals(
      result.stderr,
      `error: Refusing config file "${config}": it ${problem}, so someone else could send your ConsoleMe login ` +
        `elsewhere\n  ${fix}\n`,
    );
    assertEquals(cm.requests.length, 0);
  };
  await Deno.chmod(config, 0o666);
  await refused("can be changed by other users (mode 0666)", `Run: chmod go-w "${config}"`);
  await Deno.chmod(config, 0o600);
  await Deno.chown(config, OTHER, OTHER);
  await refused(
    `belongs to another user (uid ${OTHER})`,
    "Copy it to a file of your own, or ask its owner to give it to you",
  );
  await Deno.chown(config, Deno.uid(), Deno.gid());
  const ok = await runWeep(home.home, ["credential_process", ROLE]);
  assertEquals(ok.code, 0, ok.stderr);
});

Deno.test("a weep.yaml kept as a link to the user's own file is read", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const config = `${home.weep}/weep.yaml`;
  await Deno.mkdir(`${home.aws}/dotfiles`);
  await Deno.rename(config, `${home.aws}/dotfiles/weep.yaml`);
  await Deno.symlink(`${home.aws}/dotfiles/weep.yaml`, config);
  const result = await runWeep(home.home, ["credential_process", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  await Deno.chmod(`${home.aws}/dotfiles/weep.yaml`, 0o664);
  await Deno.writeTextFile(config, "# changed\n", { append: true });
  const refused = await runWeep(home.home, ["list"]);
  assertEquals(refused.code, 1);
  assertEquals(
    refused.stderr.split("\n")[0],
    `error: Refusing config file "${config}": it can be changed by other users (mode 0664), so someone else could send your ConsoleMe login elsewhere`,
  );
});
