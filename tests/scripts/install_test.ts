import denoJson from "../../deno.json" with { type: "json" };
import { parseShellShim, shimArgv } from "../../scripts/install_plan.ts";
import { resolvePaths } from "../../src/platform/paths.ts";
import { permissionFlags, userPermissionSet } from "../../src/platform/permissions.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { tempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { compileProbe, copyRepo, denoDir, REPO } from "./build_env.ts";

const probe = await compileProbe();
const cache = await denoDir();
const windows = Deno.build.os === "windows";

async function run(command: string, args: string[], env: Record<string, string>, cwd: string) {
  const result = await new Deno.Command(command, {
    args,
    env: { PATH: Deno.env.get("PATH") ?? "", DENO_DIR: cache, NO_COLOR: "1", ...env },
    clearEnv: true,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: result.code, stdout: text(result.stdout), stderr: text(result.stderr) };
}

/** `path` with forward slashes, to compare paths built with either separator. */
const slashes = (path: string) => path.replaceAll("\\", "/");

/** `deno task install args…` in the copied repository, for the user whose home is `home`. */
function install(
  root: string,
  home: string,
  installRoot: string,
  args: string[],
  env: Record<string, string> = {},
) {
  const vars = { HOME: home, USERPROFILE: home, DENO_INSTALL_ROOT: installRoot, ...env };
  return run(
    Deno.execPath(),
    ["task", "--quiet", "--config", `${root}/deno.json`, "install", ...args],
    vars,
    root,
  );
}

/** Runs the installed `weep` from `cwd`. */
function weep(path: string, args: string[], home: string, cwd: string) {
  return windows
    ? run("cmd", ["/d", "/c", path, ...args], { HOME: home, USERPROFILE: home }, cwd)
    : run(path, args, { HOME: home }, cwd);
}

Deno.test("deno task install --shim makes a weep that runs from anywhere with exactly the user's permission set", async () => {
  await using copy = await copyRepo();
  await using home = await tempHome();
  const elsewhere = await Deno.makeTempDir({ prefix: "weep-cwd-" });
  try {
    const bin = `${home.home}/deno-root/bin`;
    const result = await install(copy.root, home.home, `${home.home}/deno-root`, ["--shim"]);
    assertEquals(result.code, 0, result.stderr);
    const path = result.stdout.trim();
    assertEquals(slashes(path), `${slashes(bin)}/${windows ? "weep.cmd" : "weep"}`);
    assertStringIncludes(result.stderr, `Installed weep ${denoJson.version} as a shim script`);
    assertStringIncludes(result.stderr, "Add ");

    const set = userPermissionSet(resolvePaths({ HOME: home.home, USERPROFILE: home.home }, Deno.build.os));
    const shim = await Deno.readTextFile(`${bin}/weep`);
    assertEquals(parseShellShim(shim), shimArgv(copy.root, set));
    assertEquals(
      parseShellShim(shim).filter((arg) => /^--(allow|deny|no-prompt)/.test(arg)),
      permissionFlags({ ...set, read: [...set.read, `${copy.root}/src`] }),
    );
    if (!windows) assertEquals(((await Deno.stat(`${bin}/weep`)).mode ?? 0) & 0o777, 0o755);

    assertEquals(await weep(path, ["--version"], home.home, elsewhere), {
      code: 0,
      stdout: `${denoJson.version}\n`,
      stderr: "",
    });
    assertEquals(JSON.parse(await Deno.readTextFile(`${home.weep}/install.json`)), {
      kind: "shim",
      path,
      version: denoJson.version,
      firstOnPath: false,
    });

    // Re-running replaces the install: now with an AWS config file outside ~/.aws.
    const config = `${elsewhere}/aws-config`;
    const again = await install(copy.root, home.home, `${home.home}/deno-root`, ["--shim"], {
      AWS_CONFIG_FILE: config,
    });
    assertEquals(again.code, 0, again.stderr);
    const set2 = userPermissionSet(
      resolvePaths({ HOME: home.home, USERPROFILE: home.home, AWS_CONFIG_FILE: config }, Deno.build.os),
    );
    assertEquals(parseShellShim(await Deno.readTextFile(`${bin}/weep`)), shimArgv(copy.root, set2));
    assertStringIncludes(again.stderr, config);
  } finally {
    await Deno.remove(elsewhere, { recursive: true });
  }
});

Deno.test("deno task install grants dotfile links and their targets: generate and file write through links into another directory", async () => {
  if (windows) return; // symbolic links need privileges there
  await using copy = await copyRepo();
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const dotfiles = `${home.home}/dotfiles`;
  await Deno.mkdir(dotfiles);
  const config = "# kept in git\n[default]\nregion = eu-west-1\n";
  await Deno.writeTextFile(`${dotfiles}/aws-config`, config);
  await Deno.writeTextFile(`${dotfiles}/aws-credentials`, "");
  await Deno.symlink(`${dotfiles}/aws-config`, `${home.aws}/config`);
  await Deno.symlink(`${dotfiles}/aws-credentials`, `${home.aws}/credentials`);

  const result = await install(copy.root, home.home, `${home.home}/deno-root`, ["--shim"]);
  assertEquals(result.code, 0, result.stderr);
  const flags = parseShellShim(await Deno.readTextFile(`${home.home}/deno-root/bin/weep`));
  for (const file of [`${dotfiles}/aws-config`, `${dotfiles}/aws-credentials`]) {
    for (const kind of ["read", "write"]) {
      const granted = flags.find((flag) => flag.startsWith(`--allow-${kind}=`))?.split("=")[1]?.split(",") ??
        [];
      assert(granted.includes(file) && granted.includes(`${file}.weep-tmp`), `${kind} ${file}: ${granted}`);
    }
  }

  const installed = result.stdout.trim();
  const generated = await weep(installed, ["generate"], home.home, home.home);
  assertEquals(generated.code, 0, generated.stderr);
  const written = await weep(installed, ["file", "test_account_user"], home.home, home.home);
  assertEquals(written.code, 0, written.stderr);
  for (const name of ["config", "credentials"]) {
    assert((await Deno.lstat(`${home.aws}/${name}`)).isSymlink, `~/.aws/${name} is still a link`);
  }
  const after = await Deno.readTextFile(`${dotfiles}/aws-config`);
  assert(after.startsWith(config), after);
  assertStringIncludes(after, "credential_process = ");
  assertStringIncludes(await Deno.readTextFile(`${dotfiles}/aws-credentials`), "aws_session_token = ");
});

Deno.test("deno task install makes a binary where deno compile works, and otherwise says why it made a shim", async () => {
  await using copy = await copyRepo();
  await using home = await tempHome();
  const result = await install(copy.root, home.home, `${home.home}/deno-root`, []);
  assertEquals(result.code, 0, result.stderr);
  const record = JSON.parse(await Deno.readTextFile(`${home.weep}/install.json`));
  assertEquals(record.path, result.stdout.trim());
  assertEquals(
    await Deno.readFile(`${copy.root}/src/build_info.json`),
    await Deno.readFile(`${REPO}/src/build_info.json`),
  );
  if (probe.available) {
    assertEquals(record.kind, "binary");
    assertStringIncludes(result.stderr, "as a compiled binary");
    const version = await weep(record.path, ["version"], home.home, home.home);
    assertMatch(version.stdout, new RegExp(`^weep ${denoJson.version.replaceAll(".", "\\.")} .*built `));
  } else {
    assertEquals(record.kind, "shim");
    assertStringIncludes(
      result.stderr,
      "deno compile could not download its runtime (denort); installing a shim",
    );
    assert(!/^error:/m.test(result.stderr), result.stderr);
    assertEquals(
      (await weep(record.path, ["--version"], home.home, home.home)).stdout,
      `${denoJson.version}\n`,
    );
  }
});

Deno.test("deno task install grants the mTLS paths of the user's weep.yaml, read-only", async () => {
  await using copy = await copyRepo();
  await using home = await tempHome();
  const os = Deno.build.os;
  await home.writeConfig(
    `authentication_method: mtls\nmtls_settings:\n  ${os}: ["$HOME/certs", "${home.aws}/inside"]\n` +
      `  catrust: ${JSON.stringify(`${home.home}/ca/ca.pem`)}\n  certs: [client.pem]\n`,
  );
  const result = await install(copy.root, home.home, `${home.home}/deno-root`, ["--shim"]);
  assertEquals(result.code, 0, result.stderr);
  const paths = resolvePaths({ HOME: home.home, USERPROFILE: home.home }, os);
  const set = userPermissionSet(paths, { extraRead: [`${home.home}/certs`, `${home.home}/ca/ca.pem`] });
  assertEquals(
    parseShellShim(await Deno.readTextFile(`${home.home}/deno-root/bin/weep`)),
    shimArgv(copy.root, set),
  );
  assertStringIncludes(result.stderr, `and read ${home.home}/certs, ${home.home}/ca/ca.pem`);
});

Deno.test("deno task install copies Netflix weep's ~/.weep/weep.yaml over when ~/.aws/weep/weep.yaml is missing", async () => {
  await using copy = await copyRepo();
  await using home = await tempHome();
  const os = Deno.build.os;
  const netflix = `${home.home}/.weep/weep.yaml`;
  const yaml = `consoleme_url: https://consoleme.example.com\nauthentication_method: mtls\n` +
    `mtls_settings:\n  ${os}: ["$HOME/certs"]\n  certs: [client.pem]\n`;
  await Deno.mkdir(`${home.home}/.weep`, { mode: 0o755 });
  await Deno.writeTextFile(netflix, yaml, { mode: 0o644 });
  const result = await install(copy.root, home.home, `${home.home}/deno-root`, ["--shim"]);
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(
    result.stderr,
    `info: Copied your Netflix weep config ${netflix} to ${home.weep}/weep.yaml: weep reads only its AWS directory\n`,
  );
  assertEquals(await Deno.readTextFile(`${home.weep}/weep.yaml`), yaml);
  assertEquals(await Deno.readTextFile(netflix), yaml, "the original stays");
  if (!windows) assertEquals((await Deno.stat(`${home.weep}/weep.yaml`)).mode! & 0o777, 0o600);
  // Copied before the permission set is made: the mTLS directory of the copied file is granted.
  assertStringIncludes(result.stderr, `and read ${home.home}/certs`);
  const installed = `${home.home}/deno-root/bin/weep`;
  const config = await weep(installed, ["config"], home.home, home.home);
  assertStringIncludes(config.stdout, "https://consoleme.example.com");

  // A weep config of its own is never replaced.
  await Deno.writeTextFile(`${home.weep}/weep.yaml`, "consoleme_url: https://mine.example.com\n");
  const again = await install(copy.root, home.home, `${home.home}/deno-root`, ["--shim"]);
  assertEquals(again.code, 0, again.stderr);
  assert(!again.stderr.includes("Copied your Netflix weep config"), again.stderr);
  assertEquals(
    await Deno.readTextFile(`${home.weep}/weep.yaml`),
    "consoleme_url: https://mine.example.com\n",
  );
});
