import { assert, assertEquals, assertMatch, assertStringIncludes } from "../support/assert.ts";
import { assertNoSecrets, baseEnv, runWeep, tempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { configureFor, loggedInHome, logIn } from "../support/logged_in.ts";
import { startMoto } from "../support/moto.ts";
import { requireTool, type ToolName } from "../support/tools.ts";
import { weepRunArgs } from "../../scripts/weep_command.ts";
import { listUsage } from "../../src/usage/log.ts";

const DEPLOYER = "arn:aws:iam::012345678902:role/team/deployer";
const CHAINED = "arn:aws:iam::012345678903:role/chained";

/** A running `weep serve` child process. */
interface ServeProcess extends AsyncDisposable {
  /** `AWS_CONTAINER_CREDENTIALS_FULL_URI` as printed. */
  uri: string;
  /** `AWS_CONTAINER_AUTHORIZATION_TOKEN` as printed. */
  token: string;
  /** `http://127.0.0.1:<port>`. */
  base: string;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** What a serve process printed before it exited (it failed to start). */
interface ServeFailure {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `weep serve -p 0 args…` from source under its permission set and waits for its two export lines;
 * resolves with the exit instead when it ends before printing them.
 */
async function spawnServe(
  home: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<ServeProcess | ServeFailure> {
  const env = baseEnv(home, extraEnv);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...weepRunArgs(env), "serve", "-p", "0", ...args],
    env,
    clearEnv: true,
    cwd: home,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const stderrDone = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  let stdout = "";
  const exports = Promise.withResolvers<void>();
  const stdoutDone = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      stdout += chunk;
      if (/AUTHORIZATION_TOKEN=.*\n/.test(stdout)) exports.resolve();
    }
    exports.resolve();
  })();
  await exports.promise;
  const finish = async () => {
    const status = await child.status;
    await Promise.all([stdoutDone, stderrDone]);
    assertNoSecrets(stderr);
    return { code: status.code, stdout, stderr };
  };
  const uri = /^export AWS_CONTAINER_CREDENTIALS_FULL_URI=(\S+)$/m.exec(stdout)?.[1];
  const token = /^export AWS_CONTAINER_AUTHORIZATION_TOKEN=(\S+)$/m.exec(stdout)?.[1];
  if (!uri || !token) return await finish();
  let stopped: ReturnType<typeof finish> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already exited.
      }
      return await finish();
    })();
  return {
    uri,
    token,
    base: new URL(uri).origin,
    stop,
    [Symbol.asyncDispose]: async () => void await stop(),
  };
}

function started(result: ServeProcess | ServeFailure): ServeProcess {
  if ("code" in result) throw new Error(`weep serve exited ${result.code} before serving:\n${result.stderr}`);
  return result;
}

Deno.test("serve without a role prints the base ECS URI and a token, serves with it (a use of the role), and stops on SIGTERM", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const serve = started(await spawnServe(home.home, []));
  try {
    assertMatch(serve.uri, /^http:\/\/127\.0\.0\.1:\d+\/ecs\/$/);
    assertMatch(serve.token, /^[A-Za-z0-9_-]{43}$/);
    const ok = await fetch(`${serve.uri}consoleme_oss_2_test_admin`, {
      headers: { authorization: serve.token },
    });
    assertEquals(ok.status, 200);
    const body = await ok.json();
    assertEquals(Object.keys(body), ["AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn"]);
    assertMatch(body.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const unauthorized = await fetch(`${serve.uri}consoleme_oss_2_test_admin`);
    assertEquals(unauthorized.status, 401);
    await unauthorized.body?.cancel();
    const browser = await fetch(`${serve.uri}x`, {
      headers: { authorization: serve.token, origin: "http://evil" },
    });
    assertEquals(browser.status, 403);
    await browser.body?.cancel();
    // The cache answers the second request: ConsoleMe is asked once.
    await (await fetch(`${serve.uri}consoleme_oss_2_test_admin`, { headers: { authorization: serve.token } }))
      .body?.cancel();
    assertEquals(cm.count("/api/v1/get_credentials", "POST"), 1);
    // The role counts as used, for generate --used.
    const used = await listUsage(`${home.weep}/usage`, new Date());
    assertEquals(used.map((r) => [r.origin, r.role, r.count]), [[cm.url, "consoleme_oss_2_test_admin", 1]]);
  } finally {
    const exit = await serve.stop();
    assertEquals(exit.code, 0);
    assertStringIncludes(exit.stderr, "Serving credentials on http://127.0.0.1:");
    assertStringIncludes(exit.stderr, "Append a role");
    assertStringIncludes(exit.stderr, "Stopped serving credentials");
    assert(!exit.stderr.includes(serve.token), "the token reached stderr");
  }
});

Deno.test("serve ROLE: IMDS needs an IMDSv2 token, start-up warns that every local user can read the role, relay headers are refused", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const serve = started(await spawnServe(home.home, ["test_account_user"]));
  const listing = "/latest/meta-data/iam/security-credentials/";
  try {
    const plain = await fetch(`${serve.base}${listing}`);
    assertEquals(plain.status, 401);
    assertStringIncludes(await plain.text(), "IMDSv2 is required");
    const token = await (await fetch(`${serve.base}/latest/api/token`, {
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" },
    })).text();
    const withToken = await fetch(`${serve.base}${listing}`, {
      headers: { "x-aws-ec2-metadata-token": token },
    });
    assertEquals([withToken.status, await withToken.text()], [200, "test_account_user"]);
    const relayed: Record<string, string>[] = [
      { forwarded: "for=192.0.2.60" },
      { "x-real-ip": "192.0.2.60" },
      { via: "1.1 proxy" },
      { "sec-fetch-dest": "empty" },
      { "x-forwarded-host": "evil.example" },
    ];
    for (const headers of relayed) {
      const response = await fetch(`${serve.base}${listing}`, {
        headers: { ...headers, "x-aws-ec2-metadata-token": token },
      });
      assertEquals(response.status, 403, JSON.stringify(headers));
      assertStringIncludes(await response.text(), `"${Object.keys(headers)[0]}" header are refused`);
    }
  } finally {
    const exit = await serve.stop();
    assertEquals(exit.code, 0);
    const warnings = exit.stderr.split("\n").filter((line) => line.startsWith("warning:"));
    assertEquals(warnings, [
      `warning: Every local process and user can read "test_account_user" through IMDS at ${serve.base}/; ` +
      "on a shared machine serve no role and use the token-guarded ECS route (AWS_CONTAINER_CREDENTIALS_FULL_URI)",
    ]);
  }
});

Deno.test("serve ROLE fails fast with exit 1 when the role's credentials cannot be had", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const result = await spawnServe(home.home, ["no_such_role"]);
  assert("code" in result, "serve started");
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "no_such_role");
});

Deno.test("serve and its aliases refuse a bad port or address as usage errors, and a port in use with exit 1", async () => {
  await using home = await tempHome();
  await home.writeConfig("consoleme_url: http://127.0.0.1:9\nchallenge_settings:\n  user: a@example.com\n");
  for (const name of ["serve", "ecs_credential_provider", "metadata", "imds"]) {
    const badPort = await runWeep(home.home, [name, "-p", "65536"]);
    assertEquals([badPort.code, badPort.stdout], [2, ""], name);
    assertStringIncludes(badPort.stderr, "expected a port number");
  }
  const badAddress = await runWeep(home.home, ["serve", "-a", "example.com"]);
  assertEquals(badAddress.code, 2);
  assertStringIncludes(badAddress.stderr, "expected an IP address");
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const inUse = await runWeep(home.home, ["serve", "-p", String(busy.addr.port)]);
  assertEquals([inUse.code, inUse.stdout], [1, ""]);
  assertStringIncludes(inUse.stderr, "already in use");
});

Deno.test("serve listens on an IPv6 literal from server.address", async () => {
  await using cm = await startConsoleMe();
  await using home = await tempHome();
  await configureFor(home, cm, 'server:\n  address: "::1"\n');
  await logIn(home, cm);
  await using serve = started(await spawnServe(home.home, []));
  assertMatch(serve.uri, /^http:\/\/\[::1\]:\d+\/ecs\/$/);
  const health = await fetch(`${serve.base}/healthcheck`);
  assertEquals(await health.json(), { status: 200, message: "healthy" });
});

/** Runs an AWS client with only `env` (plus HOME and PATH) and returns the caller ARN it printed. */
async function callerArn(command: string, args: string[], clientHome: string, env: Record<string, string>) {
  const out = await new Deno.Command(command, {
    args,
    env: {
      HOME: clientHome,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      AWS_DEFAULT_REGION: "us-east-1",
      ...env,
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  const stdout = decoder.decode(out.stdout).trim();
  assert(out.success, `${command} failed (${out.code}): ${decoder.decode(out.stderr)}`);
  return stdout;
}

const BOTO3 = "import boto3,os\n" +
  "print(boto3.client('sts',endpoint_url=os.environ['MOTO']).get_caller_identity()['Arn'])";

Deno.test("AWS CLI v2, AWS CLI v1 and boto3 get credentials from serve over ECS and IMDS", async (t) => {
  await using moto = await startMoto();
  if (!moto) return;
  await using cm = await startConsoleMe({ sts: moto.url });
  await using home = await loggedInHome(cm);
  await using clientHome = await tempHome();
  await using serve = started(await spawnServe(home.home, ["team/deployer"]));
  assertEquals(serve.uri, `${serve.base}/ecs/team/deployer`);
  const expected = `arn:aws:sts::012345678902:assumed-role/deployer/${cm.settings.user}`;
  const ecs = {
    AWS_CONTAINER_CREDENTIALS_FULL_URI: serve.uri,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: serve.token,
    AWS_EC2_METADATA_DISABLED: "true",
  };
  const imds = { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${serve.base}/`, AWS_EC2_METADATA_DISABLED: "false" };
  const cliArgs = [
    "sts",
    "get-caller-identity",
    "--endpoint-url",
    moto.url,
    "--query",
    "Arn",
    "--output",
    "text",
  ];
  const clients: [string, ToolName, (tool: string, env: Record<string, string>) => Promise<string>][] = [
    ["AWS CLI v2", "AWS CLI v2", (aws, env) => callerArn(aws, cliArgs, clientHome.home, env)],
    ["AWS CLI v1", "AWS CLI v1", (aws, env) => callerArn(aws, cliArgs, clientHome.home, env)],
    [
      "boto3",
      "python3 with boto3 and moto",
      (python, env) => callerArn(python, ["-c", BOTO3], clientHome.home, { ...env, MOTO: moto.url }),
    ],
  ];
  for (const [name, toolName, run] of clients) {
    const tool = await requireTool(toolName);
    if (!tool) continue;
    const call = (env: Record<string, string>) => run(tool, env);
    await t.step(`${name} through AWS_CONTAINER_CREDENTIALS_FULL_URI`, async () => {
      assertEquals(await call(ecs), expected);
    });
    await t.step(`${name} through IMDS (AWS_EC2_METADATA_SERVICE_ENDPOINT)`, async () => {
      assertEquals(await call(imds), expected);
    });
  }
  // Every client was served from the cache that the start-up fetch filled.
  assertEquals(cm.count("/api/v1/get_credentials", "POST"), 1);
});

Deno.test("serve applies the global --assume-role chain to IMDS and ECS, and ?assume= after it", async () => {
  await using moto = await startMoto();
  if (!moto) return;
  const python = await requireTool("python3 with boto3 and moto");
  if (!python) return;
  await using cm = await startConsoleMe({ sts: moto.url });
  await using home = await loggedInHome(cm);
  await using clientHome = await tempHome();
  await using serve = started(
    await spawnServe(home.home, ["-A", CHAINED, DEPLOYER], { AWS_ENDPOINT_URL_STS: moto.url }),
  );
  const session = cm.settings.user;
  const env = (extra: Record<string, string>) => ({ ...extra, MOTO: moto.url });
  const viaImds = await callerArn(
    python,
    ["-c", BOTO3],
    clientHome.home,
    env({
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `${serve.base}/`,
      AWS_EC2_METADATA_DISABLED: "false",
    }),
  );
  assertEquals(viaImds, `arn:aws:sts::012345678903:assumed-role/chained/${session}`);
  const further = "arn:aws:iam::012345678901:role/further";
  const viaEcs = await callerArn(
    python,
    ["-c", BOTO3],
    clientHome.home,
    env({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${serve.uri}?assume=${further}`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: serve.token,
      AWS_EC2_METADATA_DISABLED: "true",
    }),
  );
  assertEquals(viaEcs, `arn:aws:sts::012345678901:assumed-role/further/${session}`);
  const token = await (await fetch(`${serve.base}/latest/api/token`, {
    method: "PUT",
    headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" },
  })).text();
  const listed = await fetch(`${serve.base}/latest/meta-data/iam/security-credentials/`, {
    headers: { "x-aws-ec2-metadata-token": token },
  });
  assertEquals(await listed.text(), "chained");
});
