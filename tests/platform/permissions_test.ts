import { resolvePaths } from "../../src/platform/paths.ts";
import {
  ENV_VARS,
  HOME_ROOTS,
  isInside,
  mtlsReadPaths,
  permissionFlags,
  permissionSetFor,
  permissionTable,
  releasePermissionSet,
  renderPermissionTable,
  SYS_INFO,
  URL_OPENERS,
  userPermissionSet,
} from "../../src/platform/permissions.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../support/assert.ts";

const alice = resolvePaths({ HOME: "/home/alice" }, "linux");

Deno.test("the user set grants exactly ~/.aws, plus AWS files named outside it with their temp files", () => {
  assertEquals(userPermissionSet(alice).read, ["/home/alice/.aws"]);
  assertEquals(userPermissionSet(alice).write, ["/home/alice/.aws"]);
  const paths = resolvePaths(
    {
      HOME: "/home/alice",
      AWS_CONFIG_FILE: "/etc/aws/config",
      AWS_SHARED_CREDENTIALS_FILE: "/home/alice/.aws/c",
    },
    "linux",
  );
  const set = userPermissionSet(paths, { extraRead: ["/etc/pki/weep"] });
  assertEquals(set.read, [
    "/home/alice/.aws",
    "/etc/aws/config",
    "/etc/aws/config.weep-tmp",
    "/etc/pki/weep",
  ]);
  assertEquals(set.write, ["/home/alice/.aws", "/etc/aws/config", "/etc/aws/config.weep-tmp"]);
  assertEquals(set.env, [...ENV_VARS]);
  assertEquals(set.run, [...URL_OPENERS]);
  assertEquals(set.sys, [...SYS_INFO]);
});

Deno.test("permissionFlags writes one flag per kind, no prompts, and no flag for an empty list", () => {
  assertEquals(permissionFlags(userPermissionSet(alice)), [
    "--no-prompt",
    "--allow-net",
    "--allow-read=/home/alice/.aws",
    "--allow-write=/home/alice/.aws",
    `--allow-env=${ENV_VARS.join(",")}`,
    "--allow-run=xdg-open,wslview,open,cmd",
    "--allow-sys=hostname,osRelease,uid",
  ]);
  const flags = permissionFlags({ ...userPermissionSet(alice), run: [] });
  assert(
    !flags.some((flag) => flag.startsWith("--allow-run")),
    "an empty run list must not become --allow-run",
  );
});

Deno.test("permissionFlags refuses a path with a comma instead of granting two wrong paths", () => {
  const paths = resolvePaths({ HOME: "/home/smith,john" }, "linux");
  assertThrows(
    () => permissionFlags(userPermissionSet(paths)),
    'Cannot grant read access to "/home/smith,john/.aws"',
  );
});

Deno.test("release sets grant the OS's home roots read/write and nothing else on disk", () => {
  assertEquals(releasePermissionSet("linux").read, ["/home", "/var/home", "/root"]);
  assertEquals(releasePermissionSet("darwin").write, ["/Users", "/var/root", "/private/var/root"]);
  assertEquals(permissionFlags(releasePermissionSet("windows")).slice(2, 4), [
    "--allow-read=C:\\Users",
    "--allow-write=C:\\Users",
  ]);
});

Deno.test("org sets add mTLS paths read-only, dropping those the home roots already cover", () => {
  const set = permissionSetFor({
    kind: "org",
    os: "linux",
    extraRead: ["/etc/pki/weep", "/home/shared/ca.pem"],
  });
  assertEquals(set.read, ["/home", "/var/home", "/root", "/etc/pki/weep"]);
  assertEquals(set.write, ["/home", "/var/home", "/root"]);
});

Deno.test("permissionSetFor gives source and install builds the user set and release builds the roots", () => {
  assertEquals(permissionSetFor({ kind: "install", paths: alice }), userPermissionSet(alice));
  assertEquals(permissionSetFor({ kind: "source", paths: alice, extraRead: ["/x"] }).read, [
    "/home/alice/.aws",
    "/x",
  ]);
  assertEquals(permissionSetFor({ kind: "release", os: "darwin" }), releasePermissionSet("darwin"));
});

Deno.test("mtlsReadPaths grants the OS's directories and absolute files, and says what it cannot grant", () => {
  const settings = {
    linux: ["$HOME/.mtls", "/etc/pki/weep", "certs"],
    darwin: ["/Library/weep"],
    certs: ["client.pem", "/opt/weep/client.pem"],
    keys: ["sub/client.key"],
    catrust: "/etc/pki/ca.pem",
  };
  assertEquals(mtlsReadPaths(settings, "linux", "/home/alice"), {
    read: ["/home/alice/.mtls", "/etc/pki/weep", "/opt/weep/client.pem", "/etc/pki/ca.pem"],
    notes: [
      'mTLS directory "certs" is not granted: a relative directory depends on the working directory',
      'mTLS file "sub/client.key" is not granted: a relative path depends on the working directory',
    ],
  });
  const org = mtlsReadPaths(settings, "linux");
  assertEquals(org.read, ["/etc/pki/weep", "/opt/weep/client.pem", "/etc/pki/ca.pem"]);
  assertEquals(org.notes[0], '"$HOME/.mtls" is covered by the home directories');
  assertEquals(mtlsReadPaths(settings, "darwin").read, [
    "/Library/weep",
    "/opt/weep/client.pem",
    "/etc/pki/ca.pem",
  ]);
  assertEquals(
    mtlsReadPaths({ windows: ["C:\\ProgramData\\weep", "$HOME\\certs"], catrust: "D:/ca.pem" }, "windows")
      .read,
    ["C:\\ProgramData\\weep", "D:/ca.pem"],
  );
});

Deno.test("isInside compares whole path segments, and Windows paths without case", () => {
  assert(isInside("/home/alice/.aws", "/home", "linux"));
  assert(!isInside("/homework/x", "/home", "linux"));
  assert(isInside("c:\\users\\Alice", "C:\\Users", "windows"));
  assert(!isInside("/Home/alice", "/home", "linux"));
});

Deno.test("the permission table has a row per artifact, naming the roots and openers", () => {
  const rows = permissionTable();
  assertEquals(rows.map((row) => row.kind), ["source", "install", "release", "org"]);
  const table = renderPermissionTable(rows, "release");
  for (const root of [...HOME_ROOTS.linux, ...HOME_ROOTS.darwin]) assertStringIncludes(table, `\`${root}\``);
  assertStringIncludes(table, "`C:\\Users`");
  assertStringIncludes(table, "Release archives (built by CI for everyone) (this weep)");
  assertStringIncludes(table, "| `xdg-open`, `wslview`, `open`, `cmd` | any host |");
  assertEquals(table.split("\n").filter((line) => line.startsWith("|")).length, 6);
});

Deno.test("docs/permissions.md shows the permission table as the code renders it", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/permissions.md", import.meta.url));
  assertStringIncludes(doc, renderPermissionTable());
});

/** Runs `code` in a child Deno under `flags`, with HOME set; returns its stdout lines. */
async function runUnder(flags: string[], home: string, code: string): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "weep-narrow-" });
  try {
    const script = `${dir}/narrow.ts`;
    await Deno.writeTextFile(script, code);
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", ...flags, script],
      env: { HOME: home },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assertEquals(result.code, 0, stderr);
    return new TextDecoder().decode(result.stdout).trim().split("\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const NARROW = (home: string) => `
import { resolvePaths } from ${JSON.stringify(new URL("../../src/platform/paths.ts", import.meta.url).href)};
import { narrowToUser } from ${
  JSON.stringify(new URL("../../src/platform/permissions.ts", import.meta.url).href)
};
const dropped = await narrowToUser(resolvePaths({ HOME: ${JSON.stringify(home)} }, "linux"), "linux");
console.log("dropped " + dropped.join(","));
for (const path of ["/home/alice/.aws", "/root/.aws", "/var/home/x", "/etc/passwd"]) {
  console.log(path, (await Deno.permissions.query({ name: "read", path })).state,
    (await Deno.permissions.query({ name: "write", path })).state);
}
`;

Deno.test({
  name: "narrowToUser keeps the home root of the user and really drops the others (Deno revoke)",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const flags = permissionFlags(releasePermissionSet("linux"));
    assertEquals(await runUnder(flags, "/home/alice", NARROW("/home/alice")), [
      "dropped /var/home,/root",
      "/home/alice/.aws granted granted",
      "/root/.aws prompt prompt",
      "/var/home/x prompt prompt",
      "/etc/passwd prompt prompt",
    ]);
  },
});

Deno.test({
  name: "narrowToUser leaves a user set and an allow-all run as they were",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const user = permissionFlags(userPermissionSet(resolvePaths({ HOME: "/root" }, "linux")));
    const lines = await runUnder(user, "/root", NARROW("/root"));
    assertEquals(lines.slice(1), [
      "/home/alice/.aws prompt prompt",
      "/root/.aws granted granted",
      "/var/home/x prompt prompt",
      "/etc/passwd prompt prompt",
    ]);
    const all = await runUnder(["--allow-all"], "/home/alice", NARROW("/home/alice"));
    assertEquals(all.slice(1).every((line) => line.endsWith("granted granted")), true, all.join("\n"));
  },
});
