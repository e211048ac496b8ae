import { connectConsoleMe, type ConnectDeps, requireBaseUrl } from "../../src/auth/connect.ts";
import { resolvePaths } from "../../src/platform/paths.ts";
import { defaults, type WeepConfig } from "../../src/config/schema.ts";
import { WeepError } from "../../src/errors.ts";
import { memoryOutput } from "../../src/platform/output.ts";
import { USER_AGENT, VERSION } from "../../src/version.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../support/assert.ts";
import { type TempHome, tempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { logIn } from "../support/logged_in.ts";
import { selfSignedCert } from "../support/certs.ts";

const ROLE = "arn:aws:iam::012345678903:role/test_account_user";

function appFor(home: TempHome) {
  const out = memoryOutput();
  const app: ConnectDeps = {
    output: out.output,
    paths: resolvePaths({ HOME: home.home }, "linux"),
    now: () => new Date(),
    signal: new AbortController().signal,
  };
  return { app, out };
}

function config(extra: (c: WeepConfig) => void): WeepConfig {
  const c = defaults();
  extra(c);
  return c;
}

Deno.test("requireBaseUrl: an empty consoleme_url says where to set it, and where Netflix weep's file must go", () => {
  const paths = { home: "/home/u", weepConfigFile: "/home/u/.aws/weep/weep.yaml" };
  const error = assertThrows(() => requireBaseUrl(defaults(), paths));
  assertEquals(error.message, "consoleme_url is not set: weep does not know which ConsoleMe to ask");
  assert(error instanceof WeepError);
  assertStringIncludes(error.hints.join("\n"), "WEEP_CONSOLEME_URL");
  if (Deno.build.os !== "windows") {
    assertEquals(error.hints.slice(2), [
      "Coming from Netflix weep? This weep reads /home/u/.aws/weep/weep.yaml, not /home/u/.weep/weep.yaml, " +
      "./weep.yaml or /etc/weep/weep.yaml; move yours with:",
      "  mkdir -p /home/u/.aws/weep && mv /home/u/.weep/weep.yaml /home/u/.aws/weep/weep.yaml",
    ]);
  }
  assertEquals(requireBaseUrl(config((c) => (c.consoleme_url = "https://cm")), paths), "https://cm");
});

Deno.test("challenge mode: requests carry the stored session's cookie and weep's User-Agent", async () => {
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  await logIn(home, cm);
  const { app, out } = appFor(home);
  const client = await connectConsoleMe(app, config((c) => (c.consoleme_url = cm.url)), "credential_process");
  await client.getCredentials({ role: ROLE, noIp: false });
  const request = cm.requests[0]!;
  assertEquals([request.cookie, request.userAgent], [true, USER_AGENT]);
  assertEquals(out.stderr(), "");
});

Deno.test("feature_flags.consoleme_metadata sends hostname, version and the command", async () => {
  await using cm = await startConsoleMe({ acceptMetadata: true });
  await using home = await tempHome();
  await logIn(home, cm);
  const { app } = appFor(home);
  const client = await connectConsoleMe(
    app,
    config((c) => {
      c.consoleme_url = cm.url;
      c.feature_flags.consoleme_metadata = true;
    }),
    "credential_process",
  );
  await client.getCredentials({ role: ROLE, noIp: false, method: "credential_process" });
  const metadata = JSON.parse(cm.requests[0]!.body).metadata;
  assertEquals(metadata, {
    hostname: Deno.hostname(),
    weep_version: VERSION,
    weep_method: "credential_process",
  });
});

Deno.test("mTLS mode: missing files fail before any request", async () => {
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  const { app } = appFor(home);
  const mtls = config((c) => {
    c.consoleme_url = cm.url;
    c.authentication_method = "mtls";
    c.mtls_settings.certs = ["me.crt"];
    c.mtls_settings.keys = ["me.key"];
    c.mtls_settings.linux = ["$HOME/.mtls"];
  });
  const error = await assertRejects(
    () => connectConsoleMe(app, mtls),
    "Cannot find an mTLS client certificate and key",
  );
  assertStringIncludes((error as WeepError).hints.join("\n"), `${home.home}/.mtls/me.crt`);
  assertEquals(cm.requests.length, 0);
});

Deno.test("mTLS mode: no cookie is sent, and insecure is refused with a warning", async () => {
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  await Deno.mkdir(`${home.home}/.mtls`);
  if (!await selfSignedCert(`${home.home}/.mtls`)) return;
  const { app, out } = appFor(home);
  const client = await connectConsoleMe(
    app,
    config((c) => {
      c.consoleme_url = cm.url;
      c.authentication_method = "mtls";
      c.mtls_settings.certs = ["me.crt"];
      c.mtls_settings.keys = ["me.key"];
      c.mtls_settings.linux = ["$HOME/.mtls"];
      c.mtls_settings.insecure = true;
    }),
  );
  assertStringIncludes(out.stderr(), "warning: mtls_settings.insecure is not supported");
  // The test server speaks plain HTTP and has no proxy in front checking certificates: ConsoleMe sees no cookie.
  await assertRejects(
    () => client.getCredentials({ role: ROLE, noIp: false }),
    "ConsoleMe answered HTTP 403: Forbidden",
  );
  assertEquals(cm.requests[0]!.cookieNames, []);
});
