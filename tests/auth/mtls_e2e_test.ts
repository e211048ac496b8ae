/**
 * `authentication_method: mtls` end to end: the real CLI, under its real permission set, talks TLS with a
 * client certificate to a proxy that requires one signed by a test CA, which forwards to the test ConsoleMe
 * (mTLS is terminated by a proxy in front of ConsoleMe, consoleme-api.md 3.1).
 *
 * @module
 */

import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { type CliResult, runWeep, tempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { startMoto } from "../support/moto.ts";
import { type MtlsProxy, startMtlsProxy } from "../support/mtls_proxy.ts";
import { note, requireTool, toolPath } from "../support/tools.ts";

const JSON_LINE =
  /^\{"Version":1,"AccessKeyId":"[^"]+","SecretAccessKey":"[^"]+","SessionToken":"[^"]+","Expiration":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}\n$/;
const CLIENT_CN = "weep-test-client";

/** Extensions for the test certificates (our own config, independent of the system's openssl.cnf). */
const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

/**
 * A test PKI in a temp dir. `server/` is the proxy's (CA certificate, server certificate and key); `client/`
 * is what a user installs (`ca.crt`, `client.crt`, `client.key`, signed by the CA); `rogue/` looks the same but
 * its client certificate is signed by another CA. Keys are PKCS#8 EC P-256 PEM.
 */
interface Pki extends AsyncDisposable {
  root: string;
  server: { ca: string; cert: string; key: string };
  clientDir: string;
  rogueDir: string;
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  const path = await toolPath("openssl");
  assert(path, "openssl is missing (makePki checks for it first)");
  const out = await new Deno.Command(path, { args, cwd, stdin: "null", stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-config", "openssl.cnf"];

/** A self-signed CA: `<name>.crt`, `<name>.key`. */
function makeCa(root: string, name: string): Promise<void> {
  return openssl(root, [
    "req",
    "-x509",
    ...EC,
    "-extensions",
    "ca_ext",
    "-days",
    "1",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
  ]);
}

/** A key and a certificate for `cn` signed by the CA `ca`, with the extensions `ext`. */
async function issue(root: string, ca: string, out: string, cn: string, ext: string, serial: number) {
  await openssl(root, [
    "req",
    "-new",
    ...EC,
    "-subj",
    `/CN=${cn}`,
    "-keyout",
    `${out}.key`,
    "-out",
    `${out}.csr`,
  ]);
  await openssl(root, [
    "x509",
    "-req",
    "-in",
    `${out}.csr`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-set_serial",
    String(serial),
    "-days",
    "1",
    "-extfile",
    "openssl.cnf",
    "-extensions",
    ext,
    "-out",
    `${out}.crt`,
  ]);
  const key = await Deno.readTextFile(`${root}/${out}.key`);
  // Deno's createHttpClient takes PKCS#8, SEC1 and PKCS#1 keys; PKCS#8 is what every openssl 3 writes here.
  assert(key.startsWith("-----BEGIN PRIVATE KEY-----"), `${out}.key is not a PKCS#8 PEM key`);
}

/** Makes the test PKI, or returns undefined (after saying why) when openssl is missing. */
async function makePki(): Promise<Pki | undefined> {
  if (!await requireTool("openssl")) return undefined;
  const root = await Deno.makeTempDir({ prefix: "weep-mtls-e2e-" });
  const dispose = () => Deno.remove(root, { recursive: true });
  try {
    const started = performance.now();
    await Deno.writeTextFile(`${root}/openssl.cnf`, OPENSSL_CNF);
    await Promise.all([
      makeCa(root, "ca").then(() =>
        Promise.all([
          issue(root, "ca", "server", "127.0.0.1", "server_ext", 2),
          issue(root, "ca", "client", CLIENT_CN, "client_ext", 3),
        ])
      ),
      makeCa(root, "rogue-ca").then(() => issue(root, "rogue-ca", "rogue", CLIENT_CN, "client_ext", 4)),
    ]);
    for (const [dir, cert] of [["client", "client"], ["rogue", "rogue"]] as const) {
      await Deno.mkdir(`${root}/${dir}`);
      await Deno.copyFile(`${root}/ca.crt`, `${root}/${dir}/ca.crt`);
      await Deno.copyFile(`${root}/${cert}.crt`, `${root}/${dir}/client.crt`);
      await Deno.copyFile(`${root}/${cert}.key`, `${root}/${dir}/client.key`);
    }
    note(`mTLS test PKI made in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    root,
    server: { ca: `${root}/ca.crt`, cert: `${root}/server.crt`, key: `${root}/server.key` },
    clientDir: `${root}/client`,
    rogueDir: `${root}/rogue`,
    [Symbol.asyncDispose]: dispose,
  };
}

/** Whether the proxy can run (python3 with ssl); says why not, or throws under `WEEP_REQUIRE_INTEROP=1`. */
async function canProxy(): Promise<boolean> {
  return await requireTool("python3") !== undefined;
}

/** `weep.yaml` for mTLS through `proxy`, searching `dir` for `client.crt`, `client.key` and (optionally) `ca.crt`. */
function mtlsYaml(proxy: MtlsProxy, dir: string, options: { catrust?: boolean } = {}): string {
  const quoted = JSON.stringify(dir);
  return [
    "authentication_method: mtls",
    `consoleme_url: ${proxy.url}`,
    "mtls_settings:",
    "  certs: [client.crt]",
    "  keys: [client.key]",
    ...(options.catrust ?? true ? ["  catrust: ca.crt"] : []),
    `  linux: [${quoted}]`,
    `  darwin: [${quoted}]`,
    "",
  ].join("\n");
}

/** Runs `weep credential_process test_account_user` in a fresh home with `yaml`. */
async function credentialProcess(yaml: string, extraRead: string[] | undefined): Promise<CliResult> {
  await using home = await tempHome();
  await home.writeConfig(yaml);
  return await runWeep(
    home.home,
    ["credential_process", "test_account_user"],
    extraRead ? { extraRead } : {},
  );
}

/** One credential_process JSON line. */
function assertMatchLine(stdout: string): void {
  assert(JSON_LINE.test(stdout), `expected one credential_process JSON line, got:\n${stdout}`);
}

/** A failure as the user sees it: exit 1, nothing on stdout, the message on stderr. */
function assertFails(result: CliResult, ...parts: string[]): void {
  assertEquals(result.code, 1, result.stderr);
  assertEquals(result.stdout, "", "stdout must stay empty when weep fails");
  for (const part of parts) assertStringIncludes(result.stderr, part);
}

Deno.test("mtls: credential_process presents the client certificate through a TLS proxy", async () => {
  await using pki = await makePki();
  if (!pki || !await canProxy()) return;
  await using cm = await startConsoleMe({ auth: "none" });
  await using proxy = await startMtlsProxy({ upstream: cm.url, ...pki.server });
  const result = await credentialProcess(mtlsYaml(proxy, pki.clientDir), [pki.clientDir]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stderr, "");
  assertMatchLine(result.stdout);
  assertEquals(JSON.parse(result.stdout).AccessKeyId, cm.minted[0]!.accessKeyId);
  // ConsoleMe saw the request, without a cookie; the proxy saw the client certificate.
  assertEquals(cm.requests.map((r) => [r.method, r.path, r.cookie, r.cookieNames]), [
    ["POST", "/api/v1/get_credentials", false, []],
  ]);
  assertEquals(JSON.parse(cm.requests[0]!.body).requested_role, "test_account_user");
  assertEquals(proxy.events, [
    { event: "forwarded", method: "POST", path: "/api/v1/get_credentials", cn: CLIENT_CN, status: 200 },
  ]);
});

Deno.test("mtls: a client certificate from another CA is refused by the proxy, nothing reaches ConsoleMe", async () => {
  await using pki = await makePki();
  if (!pki || !await canProxy()) return;
  await using cm = await startConsoleMe({ auth: "none" });
  await using proxy = await startMtlsProxy({ upstream: cm.url, ...pki.server });
  const result = await credentialProcess(mtlsYaml(proxy, pki.rogueDir), [pki.rogueDir]);
  // Deno reports the proxy's refusal as "fetch failed" caused by "received fatal alert: UnknownCA".
  assertFails(
    result,
    `Cannot reach ConsoleMe at "${proxy.url}": the server refused the TLS handshake (for mTLS: it did not ` +
      "accept the client certificate)",
    "check mtls_settings (certificates, key and catrust)",
  );
  assertEquals(cm.requests.length, 0);
  assert(
    proxy.events.some((e) => e.event === "tls_error" && /certificate/i.test(e.error)),
    `the proxy refused the handshake: ${JSON.stringify(proxy.events)}`,
  );
  note(`weep says, for a client certificate from another CA:\n${result.stderr.trimEnd()}`);
});

Deno.test("mtls: without catrust the proxy's certificate is not trusted", async () => {
  await using pki = await makePki();
  if (!pki || !await canProxy()) return;
  await using cm = await startConsoleMe({ auth: "none" });
  await using proxy = await startMtlsProxy({ upstream: cm.url, ...pki.server });
  const result = await credentialProcess(mtlsYaml(proxy, pki.clientDir, { catrust: false }), [pki.clientDir]);
  assertFails(
    result,
    `Cannot reach ConsoleMe at "${proxy.url}": TLS failed (certificate or protocol)`,
    "check mtls_settings (certificates, key and catrust)",
  );
  assertEquals(cm.requests.length, 0);
  assertEquals(proxy.events.filter((e) => e.event === "forwarded"), []);
  note(`weep says, for an untrusted server certificate:\n${result.stderr.trimEnd()}`);
});

Deno.test("mtls: certificate directories the permission set does not grant name the paths and the table", async () => {
  await using pki = await makePki();
  if (!pki || !await canProxy()) return;
  await using cm = await startConsoleMe({ auth: "none" });
  await using proxy = await startMtlsProxy({ upstream: cm.url, ...pki.server });
  // The same configuration that works above, without extraRead: the files exist but weep may not read them.
  const result = await credentialProcess(mtlsYaml(proxy, pki.clientDir), undefined);
  assertFails(
    result,
    "Cannot find an mTLS client certificate and key",
    "Paths tried:",
    `  ${pki.clientDir}/client.crt\n`,
    `  ${pki.clientDir}/client.key\n`,
    "(weep's docs/permissions.md)",
  );
  assert(!result.stderr.includes("(found)"), "a denied file must not be reported as found");
  assertEquals(cm.requests.length, 0);
  assertEquals(proxy.events, []);
});

Deno.test("mtls: whoami with swag.use_mtls presents the client certificate to SWAG", async () => {
  await using pki = await makePki();
  if (!pki || !await canProxy()) return;
  await using moto = await startMoto();
  if (!moto) return;
  await using cm = await startConsoleMe({ auth: "none", accounts: { "123456789012": "moto_prod" } });
  await using proxy = await startMtlsProxy({ upstream: cm.url, ...pki.server });
  await using home = await tempHome();
  const swag = `swag:\n  enable: true\n  use_mtls: true\n  url: ${proxy.url}/swag\n`;
  await home.writeConfig(mtlsYaml(proxy, pki.clientDir) + swag);
  const env = {
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  };
  const result = await runWeep(home.home, ["whoami"], { env, extraRead: [pki.clientDir] });
  assertEquals([result.code, result.stderr], [0, ""]);
  assertEquals(result.stdout.split("\n")[1], "Account: moto_prod (123456789012)");
  assertEquals(proxy.events, [
    { event: "forwarded", method: "GET", path: "/swag/1/accounts/123456789012", cn: CLIENT_CN, status: 200 },
  ]);
  assertEquals(cm.requests.map((r) => r.cookie), [false]);
});
