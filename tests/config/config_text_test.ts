import { configFileProblem } from "../../src/config/config_text.ts";
import { assertEquals } from "../support/assert.ts";
import { runWeep, spawnWeep } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { requireTool } from "../support/tools.ts";

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

Deno.test("a weep.yaml or --config that is a FIFO is refused at once, on a cache hit too, never waited on", async () => {
  const python = await requireTool("python3");
  if (!python || Deno.build.os === "windows") return;
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const config = `${home.weep}/weep.yaml`;
  // Fresh credentials in the cache, and the config snapshot: the next call is a fast-path hit but for the FIFO.
  assertEquals((await runWeep(home.home, ["credential_process", ROLE])).code, 0);
  const fifo = `${home.aws}/fifo.yaml`;
  const mkfifo = async (path: string) => {
    const made = await new Deno.Command(python, {
      args: ["-c", "import os,sys; os.mkfifo(sys.argv[1])", path],
    })
      .output();
    assertEquals(made.code, 0);
  };
  await mkfifo(fifo);
  await Deno.rename(config, `${home.aws}/weep.yaml.kept`);
  await mkfifo(config);
  cm.clearRequests();
  for (const [args, path] of [[["--config", fifo], fifo], [[], config]] as const) {
    await using weep = spawnWeep(home.home, ["credential_process", ...args, ROLE]);
    // Nothing writes to the FIFO: a read of it would never end. A generous bound, then the test says so.
    const stuck = setTimeout(() => weep.kill("SIGKILL"), 30_000);
    const result = await weep.result().finally(() => clearTimeout(stuck));
    assertEquals([result.code, result.stdout], [1, ""], result.stderr);
    assertEquals(
      result.stderr.split("\n")[0],
      `error: Refusing config file "${path}": it is not a regular file, so someone else could send your ConsoleMe ` +
        "login elsewhere",
    );
  }
  assertEquals(cm.requests.length, 0);
});
