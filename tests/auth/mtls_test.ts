import { fileExists, findMtlsFiles, type MtlsEnv, mtlsHttpClient, searchDirs } from "../../src/auth/mtls.ts";
import { defaults } from "../../src/config/schema.ts";
import type { WeepConfig } from "../../src/config/schema.ts";
import { WeepError } from "../../src/errors.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { note } from "../support/tools.ts";
import { selfSignedCert } from "../support/certs.ts";

type Settings = WeepConfig["mtls_settings"];

function settings(extra: Partial<Settings>): Settings {
  return { ...defaults().mtls_settings, ...extra };
}

/** A temp tree: `<root>/home` and the files given (relative to root), each with placeholder text. */
async function tree(files: string[]) {
  const root = await Deno.makeTempDir({ prefix: "weep-mtls-" });
  for (const file of files) {
    const path = `${root}/${file}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, "placeholder");
  }
  await Deno.mkdir(`${root}/home`, { recursive: true });
  const env: MtlsEnv = { home: `${root}/home`, os: "linux", exists: fileExists };
  return { root, env, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

function hintsOf(error: Error): string[] {
  assert(error instanceof WeepError, `expected a WeepError, got ${error.name}`);
  return error.hints;
}

Deno.test("searchDirs picks this OS's list and replaces $HOME", () => {
  const s = settings({
    linux: ["$HOME/.mtls", "/run/mtls"],
    darwin: ["$HOME/Library/mtls"],
    windows: ["C:\\mtls"],
  });
  assertEquals(searchDirs(s, { home: "/home/a", os: "linux" }), ["/home/a/.mtls", "/run/mtls"]);
  assertEquals(searchDirs(s, { home: "/Users/a", os: "darwin" }), ["/Users/a/Library/mtls"]);
  assertEquals(searchDirs(s, { home: "C:\\Users\\a", os: "windows" }), ["C:\\mtls"]);
});

Deno.test("an absolute cert and key are used as given; no catrust means the system roots", async () => {
  await using t = await tree(["certs/me.crt", "certs/me.key"]);
  const found = await findMtlsFiles(
    settings({ certs: [`${t.root}/certs/me.crt`], keys: [`${t.root}/certs/me.key`], linux: [] }),
    t.env,
  );
  assertEquals(found, { cert: `${t.root}/certs/me.crt`, key: `${t.root}/certs/me.key` });
});

Deno.test("names are searched in the OS directories in order, $HOME expanded; the CA too", async () => {
  await using t = await tree([
    "home/.mtls/me.crt",
    "home/.mtls/me.key",
    "etc/mtls/me.crt",
    "etc/mtls/me.key",
    "etc/mtls/ca.pem",
  ]);
  const found = await findMtlsFiles(
    settings({
      cert: "me.crt",
      key: "me.key",
      catrust: "ca.pem",
      linux: ["$HOME/.mtls", `${t.root}/etc/mtls`],
    }),
    t.env,
  );
  assertEquals(found, {
    cert: `${t.root}/home/.mtls/me.crt`,
    key: `${t.root}/home/.mtls/me.key`,
    ca: `${t.root}/etc/mtls/ca.pem`,
  });
});

Deno.test("a cert is never paired with a key from another directory", async () => {
  await using t = await tree(["a/me.crt", "b/me.key", "c/me.crt", "c/me.key"]);
  const found = await findMtlsFiles(
    settings({ certs: ["me.crt"], keys: ["me.key"], linux: [`${t.root}/a`, `${t.root}/b`, `${t.root}/c`] }),
    t.env,
  );
  assertEquals(found, { cert: `${t.root}/c/me.crt`, key: `${t.root}/c/me.key` });
});

Deno.test("the first cert and key pair that exists wins (older single cert/key keys come last)", async () => {
  await using t = await tree(["d/new.crt", "d/new.key", "d/old.crt", "d/old.key"]);
  const found = await findMtlsFiles(
    settings({
      certs: ["gone.crt", "new.crt"],
      keys: ["new.key"],
      cert: "old.crt",
      key: "old.key",
      linux: [`${t.root}/d`],
    }),
    t.env,
  );
  assertEquals(found, { cert: `${t.root}/d/new.crt`, key: `${t.root}/d/new.key` });
});

Deno.test("nothing found: the error lists every path tried once, marks what exists, says why", async () => {
  await using t = await tree(["a/me.crt", "b/me.key"]);
  const error = await assertRejects(
    () =>
      findMtlsFiles(
        settings({ certs: ["me.crt"], keys: ["me.key"], linux: [`${t.root}/a`, `${t.root}/b`] }),
        t.env,
      ),
    "Cannot find an mTLS client certificate and key",
  );
  const hints = hintsOf(error);
  assertEquals(hints.slice(0, 6), [
    "Paths tried:",
    `  ${t.root}/a/me.crt (found)`,
    `  ${t.root}/a/me.key`,
    `  ${t.root}/b/me.crt`,
    `  ${t.root}/b/me.key (found)`,
    "A certificate and its key must be in the same directory, or both be given as absolute paths",
  ]);
  assertStringIncludes(hints.join("\n"), "Check mtls_settings");
});

Deno.test("nothing to try (relative names, no directories for this OS) says so", async () => {
  await using t = await tree([]);
  const error = await assertRejects(
    () => findMtlsFiles(settings({ certs: ["me.crt"], keys: ["me.key"], linux: [] }), t.env),
    "Cannot find an mTLS client certificate and key",
  );
  assertEquals(
    hintsOf(error)[0],
    "No paths to try: mtls_settings.linux lists no directories and the names are not absolute",
  );
});

Deno.test("no certificate or key configured says which keys to set", async () => {
  await using t = await tree([]);
  const error = await assertRejects(
    () => findMtlsFiles(settings({ certs: ["me.crt"], keys: [] }), t.env),
    "mTLS is selected but no client certificate or key is configured",
  );
  assertStringIncludes(hintsOf(error)[0]!, "mtls_settings.certs and mtls_settings.keys");
});

Deno.test("a CA bundle that cannot be found is an error with the paths tried", async () => {
  await using t = await tree(["d/me.crt", "d/me.key"]);
  const error = await assertRejects(
    () =>
      findMtlsFiles(
        settings({ certs: ["me.crt"], keys: ["me.key"], catrust: "ca.pem", linux: [`${t.root}/d`, "$HOME"] }),
        t.env,
      ),
    'Cannot find the mTLS CA bundle "ca.pem"',
  );
  assertEquals(hintsOf(error), ["Paths tried:", `  ${t.root}/d/ca.pem`, `  ${t.root}/home/ca.pem`]);
});

Deno.test("a directory or an unreadable path does not count as a file", async () => {
  await using t = await tree(["d/me.crt/inner", "d/me.key"]);
  assertEquals(await fileExists(`${t.root}/d/me.key`), true);
  assertEquals(await fileExists(`${t.root}/d/me.crt`), false);
  assertEquals(await fileExists(`${t.root}/d/missing`), false);
  await assertRejects(
    () => findMtlsFiles(settings({ certs: ["me.crt"], keys: ["me.key"], linux: [`${t.root}/d`] }), t.env),
    "Cannot find an mTLS client certificate and key",
  );
});

Deno.test("mtlsHttpClient: unreadable files and files that are not PEM say which file", async () => {
  await using t = await tree(["d/me.crt", "d/me.key"]);
  await assertRejects(
    () => mtlsHttpClient({ cert: `${t.root}/d/missing.crt`, key: `${t.root}/d/me.key` }),
    `Cannot read the mTLS certificate "${t.root}/d/missing.crt"`,
  );
  await assertRejects(
    () => mtlsHttpClient({ cert: `${t.root}/d/me.crt`, key: `${t.root}/d/me.key`, ca: `${t.root}/d/ca.pem` }),
    `Cannot read the mTLS CA bundle "${t.root}/d/ca.pem"`,
  );
  const error = await assertRejects(
    () => mtlsHttpClient({ cert: `${t.root}/d/me.crt`, key: `${t.root}/d/me.key` }),
    `Cannot use the mTLS certificate "${t.root}/d/me.crt" with key "${t.root}/d/me.key"`,
  );
  assertEquals(hintsOf(error), ["Check that the key belongs to the certificate and both are PEM files"]);
});

Deno.test("mtlsHttpClient builds a client from a real certificate and key", async () => {
  await using t = await tree([]);
  if (!await selfSignedCert(t.root)) return;
  const client = await mtlsHttpClient({
    cert: `${t.root}/me.crt`,
    key: `${t.root}/me.key`,
    ca: `${t.root}/me.crt`,
  });
  client.close();
  note("mtlsHttpClient accepted an openssl-made certificate");
});
