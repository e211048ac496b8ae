import {
  archiveMember,
  archiveName,
  binaryName,
  buildDate,
  buildInfoFor,
  checksumsText,
  compileArgv,
  embeddedReadPaths,
  explainCompileFailure,
  fileUrlToPath,
  hostTarget,
  isRuntimeDownloadFailure,
  parseCompileArgs,
  tarArgv,
  type Target,
  targetOs,
  TARGETS,
  validateEmbeddedConfig,
} from "../../scripts/compile_plan.ts";
import { ENV_VARS, permissionSetFor } from "../../src/platform/permissions.ts";
import { WeepError } from "../../src/errors.ts";
import { assertEquals, assertStringIncludes, assertThrows } from "../support/assert.ts";

const ENV = `--allow-env=${ENV_VARS.join(",")}`;
const COMMON = [ENV, "--allow-run=xdg-open,wslview,open,cmd", "--allow-sys=hostname,osRelease,uid"];

Deno.test("the exact deno compile command line for every release target", () => {
  const expected: Record<Target, string[]> = {
    "x86_64-unknown-linux-gnu": ["--allow-read=/home,/var/home,/root", "--allow-write=/home,/var/home,/root"],
    "aarch64-unknown-linux-gnu": [
      "--allow-read=/home,/var/home,/root",
      "--allow-write=/home,/var/home,/root",
    ],
    "x86_64-apple-darwin": [
      "--allow-read=/Users,/var/root,/private/var/root",
      "--allow-write=/Users,/var/root,/private/var/root",
    ],
    "aarch64-apple-darwin": [
      "--allow-read=/Users,/var/root,/private/var/root",
      "--allow-write=/Users,/var/root,/private/var/root",
    ],
    "x86_64-pc-windows-msvc": ["--allow-read=C:\\Users", "--allow-write=C:\\Users"],
  };
  for (const target of TARGETS) {
    const output = `/out/${binaryName("1.2.3", target)}`;
    const permissions = permissionSetFor({ kind: "release", os: targetOs(target) });
    assertEquals(compileArgv({ root: "/repo", target, output, permissions }), [
      "compile",
      "--frozen",
      "--config",
      "/repo/deno.json",
      "--no-prompt",
      "--allow-net",
      ...expected[target],
      ...COMMON,
      "--target",
      target,
      "--output",
      output,
      "/repo/src/cli/main.ts",
    ], target);
  }
});

Deno.test("an org build's command line adds the embedded config's mTLS paths read-only and nothing else", () => {
  const config = validateEmbeddedConfig(
    "authentication_method: mtls\nmtls_settings:\n  linux: [$HOME/.mtls, /etc/pki/weep]\n  darwin: [/Library/weep]\n" +
      "  catrust: /etc/pki/ca.pem\n  certs: [client.pem]\n",
    "configs/org.yaml",
  );
  const linux = embeddedReadPaths(config, "linux");
  assertEquals(linux, {
    read: ["/etc/pki/weep", "/etc/pki/ca.pem"],
    notes: ['"$HOME/.mtls" is covered by the home directories'],
  });
  const argv = compileArgv({
    root: "/repo",
    target: "aarch64-unknown-linux-gnu",
    output: "/out/weep",
    permissions: permissionSetFor({ kind: "org", os: "linux", extraRead: linux.read }),
  });
  assertEquals(argv.slice(6, 8), [
    "--allow-read=/home,/var/home,/root,/etc/pki/weep,/etc/pki/ca.pem",
    "--allow-write=/home,/var/home,/root",
  ]);
  assertEquals(embeddedReadPaths(config, "darwin").read, ["/Library/weep", "/etc/pki/ca.pem"]);
  assertEquals(argv.filter((arg) => arg.startsWith("--include")), []);
});

Deno.test("output and archive names carry version and target", () => {
  assertEquals(binaryName("0.1.0", "x86_64-unknown-linux-gnu"), "weep-0.1.0-x86_64-unknown-linux-gnu");
  assertEquals(binaryName("0.1.0", "x86_64-pc-windows-msvc"), "weep-0.1.0-x86_64-pc-windows-msvc.exe");
  assertEquals(archiveName("0.1.0", "aarch64-apple-darwin"), "weep-0.1.0-aarch64-apple-darwin.tar.gz");
  assertEquals(archiveName("0.1.0", "x86_64-pc-windows-msvc"), "weep-0.1.0-x86_64-pc-windows-msvc.zip");
  assertEquals(archiveMember("aarch64-unknown-linux-gnu"), "weep");
  assertEquals(archiveMember("x86_64-pc-windows-msvc"), "weep.exe");
  assertEquals(tarArgv("a.tar.gz", "/stage", "weep"), ["-czf", "a.tar.gz", "-C", "/stage", "weep"]);
});

Deno.test("SHA256SUMS lists each archive once, sorted, in sha256sum -c format", () => {
  assertEquals(
    checksumsText([
      { name: "weep-1-x86_64-pc-windows-msvc.zip", sha256: "b".repeat(64) },
      { name: "weep-1-aarch64-apple-darwin.tar.gz", sha256: "a".repeat(64) },
    ]),
    `${"a".repeat(64)}  weep-1-aarch64-apple-darwin.tar.gz\n${
      "b".repeat(64)
    }  weep-1-x86_64-pc-windows-msvc.zip\n`,
  );
  assertEquals(checksumsText([]), "");
});

Deno.test("build metadata records commit, RFC 3339 date, artifact and the embedded config", () => {
  const date = buildDate(undefined, new Date("2026-11-28T18:32:50.123Z"));
  assertEquals(buildInfoFor({ commit: "abc1234", date, artifact: "release" }), {
    commit: "abc1234",
    date: "2026-11-28T18:32:50Z",
    embeddedConfigName: "",
    embeddedConfig: "",
    artifact: "release",
  });
  const org = buildInfoFor({
    commit: "",
    date,
    artifact: "org",
    embedded: { name: "org.yaml", text: "a: 1\n" },
  });
  assertEquals([org.embeddedConfigName, org.embeddedConfig, org.artifact], ["org.yaml", "a: 1\n", "org"]);
  assertEquals(buildDate("1700000000", new Date()).toISOString(), "2023-11-14T22:13:20.000Z");
});

Deno.test("a bad config to embed is refused with the message weep prints for that file", () => {
  const bad = assertThrows(
    () => validateEmbeddedConfig("server:\n  port: lots\n", "configs/org.yaml"),
    'Invalid config in "configs/org.yaml": key "server.port" must be an integer from 0 to 65535, got "lots"',
  );
  assertEquals(bad instanceof WeepError, true);
  assertThrows(() => validateEmbeddedConfig("a: [\n", "org.yaml"), 'Cannot parse config file "org.yaml"');
  const good = validateEmbeddedConfig(
    "consoleme_url: https://cm.example.com/\ntypo_key: 1\n",
    "dir/org.yaml",
  );
  assertEquals(good.name, "org.yaml");
  assertEquals(good.values, { consoleme_url: "https://cm.example.com" });
  assertEquals(good.warnings, ['Unknown config key "typo_key" in "dir/org.yaml" is ignored']);
});

const RUNTIME_FAILURE = "\x1b[0m\x1b[32mCompile\x1b[0m src/cli/main.ts to dist/weep\n" +
  "\x1b[0m\x1b[32mDownload\x1b[0m https://dl.example/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip\n" +
  "\x1b[1m\x1b[31merror\x1b[0m: Writing deno compile executable to temporary file 'dist/weep.tmp-1'\n\nCaused by:\n" +
  "    0: Setting up base binary.\n    1: error sending request for url (https://dl.example/denort.zip): " +
  "client error (Connect): dns error\n    2: client error (Connect)\n\nStack backtrace:\n   0: <unknown>\n";

Deno.test("a runtime download failure is explained as such, with deno's cause", () => {
  const error = explainCompileFailure("x86_64-unknown-linux-gnu", RUNTIME_FAILURE);
  assertEquals(
    error.message,
    'Cannot build weep for "x86_64-unknown-linux-gnu": deno compile could not download its runtime (denort)',
  );
  assertEquals(
    error.hints[0],
    "deno said: error sending request for url (https://dl.example/denort.zip): client error (Connect): dns error",
  );
  assertStringIncludes(error.hints[1]!, "GitHub Actions runners can");
  assertEquals(isRuntimeDownloadFailure(RUNTIME_FAILURE), true);
});

Deno.test("other compile failures show deno's error without progress lines or file listings", () => {
  const stderr =
    "Info Failed to resolve 'xdg-open' for allow-run: cannot find binary path\nCheck src/cli/main.ts\n" +
    "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n    at file:///repo/src/x.ts:1:7\n\n" +
    "error: Type checking failed.\n\nStack backtrace:\n   0: <unknown>\n";
  const error = explainCompileFailure("aarch64-apple-darwin", stderr);
  assertEquals(error.message, 'Cannot build weep for "aarch64-apple-darwin": deno compile failed');
  assertEquals(error.hints, [
    "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
    "at file:///repo/src/x.ts:1:7",
    "error: Type checking failed.",
  ]);
  assertEquals(isRuntimeDownloadFailure(stderr), false);
});

Deno.test("compile arguments: targets, host, all, embedded config, output directory", () => {
  const host = "aarch64-apple-darwin";
  assertEquals(parseCompileArgs([], host), { targets: [host], out: "dist", help: false });
  assertEquals(parseCompileArgs(["--target", "all"], host).targets, [...TARGETS]);
  assertEquals(
    parseCompileArgs(["--target=host", "--target", "x86_64-pc-windows-msvc", "--target", "host"], host)
      .targets,
    [host, "x86_64-pc-windows-msvc"],
  );
  assertEquals(parseCompileArgs(["--embed-config", "org.yaml", "--out=build"], host), {
    targets: [host],
    out: "build",
    help: false,
    embedConfig: "org.yaml",
  });
  assertThrows(() => parseCompileArgs(["--target", "riscv64"], host), 'Unknown target "riscv64"');
  assertThrows(() => parseCompileArgs(["--out"], host), 'Option "--out" needs a value');
  assertThrows(() => parseCompileArgs(["--bogus"], host), 'Unknown argument "--bogus"');
  assertThrows(() => parseCompileArgs([], "riscv64gc-unknown-linux-gnu"), "Cannot build for this machine");
  assertEquals(parseCompileArgs(["--help"], "riscv64gc-unknown-linux-gnu").help, true);
  assertEquals(hostTarget("x86_64-apple-darwin"), "x86_64-apple-darwin");
});

Deno.test("fileUrlToPath gives native paths on every OS", () => {
  assertEquals(fileUrlToPath(new URL("file:///work/main/"), "linux"), "/work/main");
  assertEquals(fileUrlToPath(new URL("file:///a%20b/c"), "darwin"), "/a b/c");
  assertEquals(fileUrlToPath(new URL("file:///D:/a/weep/weep/"), "windows"), "D:\\a\\weep\\weep");
});
