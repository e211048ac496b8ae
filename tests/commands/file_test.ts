import type { AwsCredentials, CredentialQuery } from "../../src/aws/credentials.ts";
import {
  CHECK_INTERVAL_MS,
  type FileInput,
  keepRefreshed,
  REFRESH_MARGIN_MS,
  writeCredentialsFile,
} from "../../src/commands/file.ts";
import { memoryOutput } from "../../src/platform/output.ts";
import { assert, assertEquals, assertMatch, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { baseEnv, runWeep, spawnWeep, tempHome } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";
import { requireTool } from "../support/tools.ts";

const ROLE = "arn:aws:iam::012345678903:role/test_account_user";
/** The marker of a profile `weep file` wrote from the ConsoleMe at `url` for ROLE. */
const managed = (url: string) => `# managed by weep: consoleme=${url} role=${ROLE}`;

function profileBlock(text: string, header: string): string {
  const start = text.indexOf(`${header}\n`);
  assert(start >= 0, `no ${header} in:\n${text}`);
  const next = text.indexOf("\n[", start + 1);
  return text.slice(start, next < 0 ? undefined : next + 1);
}

const MINTED: AwsCredentials = {
  accessKeyId: "AKIAFILETEST",
  secretAccessKey: "secret/file+test",
  sessionToken: "token-file-test",
  expiration: new Date("2026-11-28T18:32:50Z"),
};

/** `writeCredentialsFile`'s input for `path` from the ConsoleMe at https://cm.example.com. */
const fileInput = (path: string, force = false): FileInput => ({
  role: ROLE,
  profile: "default",
  path,
  force,
  origin: "https://cm.example.com",
  assumeRoles: [],
  noIp: true,
});

Deno.test("writeCredentialsFile writes the source's credentials as a 0600 managed profile and says so", async () => {
  await using home = await tempHome();
  const path = `${home.aws}/credentials`;
  const asked: CredentialQuery[] = [];
  const out = memoryOutput();
  const deps = {
    source: (query: CredentialQuery) => {
      asked.push(query);
      return Promise.resolve(MINTED);
    },
    locksDir: `${home.weep}/locks`,
    output: out.output,
  };
  assertEquals(await writeCredentialsFile(fileInput(path), deps), MINTED);
  assertEquals(asked, [{ role: ROLE, assumeRoles: [], noIp: true }]);
  assertEquals(
    await Deno.readTextFile(path),
    `[default]\n${managed("https://cm.example.com")}\naws_access_key_id = AKIAFILETEST\n` +
      "aws_secret_access_key = secret/file+test\naws_session_token = token-file-test\n" +
      "expiration = 2026-11-28T18:32:50Z\n",
  );
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  assertEquals(
    out.stderr(),
    `info: Wrote credentials for ${ROLE} to profile "default" in ${path} (expire 2026-11-28T18:32:50Z)\n`,
  );
});

Deno.test("writeCredentialsFile refuses a profile it did not write before asking the source; force takes it over", async () => {
  await using home = await tempHome();
  const path = `${home.aws}/credentials`;
  const before = "[default]\nregion = eu-west-1\naws_access_key_id = AKIAMINE\n";
  await Deno.writeTextFile(path, before);
  let asked = 0;
  const deps = {
    source: () => (asked++, Promise.resolve(MINTED)),
    locksDir: `${home.weep}/locks`,
    output: memoryOutput().output,
  };
  const error = await assertRejects(() => writeCredentialsFile(fileInput(path), deps), "not overwriting it");
  assertStringIncludes(error.message, `Profile "default" in "${path}" was not written by weep`);
  assertEquals([asked, await Deno.readTextFile(path)], [0, before]);
  await writeCredentialsFile(fileInput(path, true), deps);
  assertEquals(asked, 1);
  assertStringIncludes(
    await Deno.readTextFile(path),
    "region = eu-west-1\naws_access_key_id = AKIAFILETEST\n",
  );
});

Deno.test("weep file creates ~/.aws/credentials with mode 0600 and one managed profile", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const result = await runWeep(home.home, ["file", ROLE]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stdout, "");
  const path = `${home.aws}/credentials`;
  assertMatch(
    result.stderr,
    new RegExp(
      `^info: Wrote credentials for ${ROLE} to profile "default" in ${path} \\(expire \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)\n$`,
    ),
  );
  const text = await Deno.readTextFile(path);
  assertMatch(
    text,
    new RegExp(
      `^\\[default\\]\n${managed(cm.url)}\naws_access_key_id = ${
        cm.minted[0]!.accessKeyId
      }\naws_secret_access_key = \\S+\n` +
        "aws_session_token = \\S+\nexpiration = \\S+Z\n$",
    ),
  );
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  assertEquals((await Array.fromAsync(Deno.readDir(home.aws))).map((e) => e.name).sort(), [
    "credentials",
    "weep",
  ]);
});

Deno.test("weep file keeps every other byte of the file, and tightens a file others may read to 0600, saying so", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/credentials`;
  const before =
    "# my keys\r\n[work]\r\naws_access_key_id = AKIAWORK\r\naws_secret_access_key = s3cr3t ; not a comment\r\n\r\n";
  await Deno.writeTextFile(path, before);
  await Deno.chmod(path, 0o640);
  const result = await runWeep(home.home, ["file", ROLE, "--profile", "dev"]);
  assertEquals(result.code, 0, result.stderr);
  const after = await Deno.readTextFile(path);
  assert(after.startsWith(before), "the existing text changed");
  assertStringIncludes(after.slice(before.length), `[dev]\r\n${managed(cm.url)}\r\naws_access_key_id = `);
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
  assertStringIncludes(
    result.stderr,
    `warning: Tightened "${path}" from mode 0640 to 0600: it holds secret keys, which only you may read\n`,
  );
  const again = await runWeep(home.home, ["file", ROLE, "-p", "dev"]);
  assertEquals(again.code, 0, again.stderr);
  assert(!again.stderr.includes("Tightened"), "a private file is left as it is");
  assertEquals((await Deno.readTextFile(path)).slice(0, before.length), before);
});

Deno.test("weep file refuses a profile it did not write before asking ConsoleMe; --force takes it over", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/credentials`;
  const before = "[default]\nregion = eu-west-1\naws_access_key_id = AKIAMINE\n";
  await Deno.writeTextFile(path, before);
  const refused = await runWeep(home.home, ["file", ROLE]);
  assertEquals(refused.code, 1);
  assertEquals(refused.stdout, "");
  assertStringIncludes(
    refused.stderr,
    `Profile "default" in "${path}" was not written by weep; not overwriting it`,
  );
  assertStringIncludes(refused.stderr, "--force");
  assertEquals(await Deno.readTextFile(path), before);
  assertEquals(cm.count("/api/v1/get_credentials"), 0);

  const forced = await runWeep(home.home, ["file", ROLE, "--force"]);
  assertEquals(forced.code, 0, forced.stderr);
  const block = profileBlock(await Deno.readTextFile(path), "[default]");
  assertStringIncludes(
    block,
    `[default]\n${managed(cm.url)}\nregion = eu-west-1\naws_access_key_id = ${cm.minted[0]!.accessKeyId}\n`,
  );
});

Deno.test("weep file refuses a file AWS tools reject (duplicate section) and changes nothing", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const path = `${home.aws}/credentials`;
  const before = "[a]\nx = 1\n[a]\ny = 2\n";
  await Deno.writeTextFile(path, before);
  const result = await runWeep(home.home, ["file", ROLE, "-p", "dev"]);
  assertEquals(result.code, 1);
  assertStringIncludes(result.stderr, "duplicate section [a]");
  assertEquals(await Deno.readTextFile(path), before);
  assertEquals(cm.count("/api/v1/get_credentials"), 0);
});

Deno.test("weep file writes where AWS_SHARED_CREDENTIALS_FILE or --output says", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const env = { AWS_SHARED_CREDENTIALS_FILE: `${home.aws}/team-credentials` };
  const viaEnv = await runWeep(home.home, ["file", ROLE], { env });
  assertEquals(viaEnv.code, 0, viaEnv.stderr);
  assertStringIncludes(await Deno.readTextFile(`${home.aws}/team-credentials`), "[default]\n");
  const viaFlag = await runWeep(home.home, ["file", ROLE, "-o", `${home.aws}/other`, "-p", "x"]);
  assertEquals(viaFlag.code, 0, viaFlag.stderr);
  assertStringIncludes(await Deno.readTextFile(`${home.aws}/other`), "[x]\n");
});

Deno.test("weep file without a role is a usage error", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const result = await runWeep(home.home, ["file"]);
  assertEquals(result.code, 2);
  assertStringIncludes(result.stderr, "file needs a role");
});

Deno.test("boto3 reads the profile weep file wrote", async () => {
  const python = await requireTool("python3 with boto3 and moto");
  if (!python) return;
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  await Deno.writeTextFile(
    `${home.aws}/credentials`,
    "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n",
  );
  const result = await runWeep(home.home, ["file", ROLE, "-p", "dev"]);
  assertEquals(result.code, 0, result.stderr);
  const script =
    "import boto3\nc = boto3.Session(profile_name='dev').get_credentials()\nprint(c.access_key, c.method)";
  const out = await new Deno.Command(python, {
    args: ["-c", script],
    env: baseEnv(home.home),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  assertEquals(
    new TextDecoder().decode(out.stdout),
    `${cm.minted[0]!.accessKeyId} shared-credentials-file\n`,
  );
});

Deno.test("weep file --auto-refresh writes, keeps running, and exits 0 on Ctrl-C", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  await using weep = spawnWeep(home.home, ["file", ROLE, "--auto-refresh", "-p", "dev"]);
  await weep.stderrHas("press Ctrl-C to stop");
  weep.kill("SIGINT");
  const { code, stdout, stderr } = await weep.result();
  assertEquals(code, 0, stderr);
  assertEquals(stdout, "");
  assertStringIncludes(stderr, `Wrote credentials for ${ROLE} to profile "dev"`);
  assertStringIncludes(
    await Deno.readTextFile(`${home.aws}/credentials`),
    `aws_access_key_id = ${cm.minted[0]!.accessKeyId}`,
  );
});

/** A refresh loop over a fake clock: sleeping advances it. */
function fakeLoop(expirations: (Date | undefined)[], failures = 0) {
  const controller = new AbortController();
  let now = 0;
  const log: string[] = [];
  let refreshes = 0;
  let current = expirations.shift();
  return {
    log,
    run: () =>
      keepRefreshed({
        expiration: () => Promise.resolve(current),
        refresh: () => {
          refreshes++;
          log.push(`refresh at ${now / 60_000} min`);
          if (refreshes <= failures) return Promise.reject(new Error("ConsoleMe is down"));
          current = expirations.shift();
          if (expirations.length === 0) controller.abort();
          return Promise.resolve();
        },
        now: () => new Date(now),
        sleep: (ms) => {
          now += ms;
          log.push(`sleep ${ms / 60_000} min`);
          if (now > 10 * 3_600_000) controller.abort();
          return controller.signal.aborted ? Promise.reject(new Error("aborted")) : Promise.resolve();
        },
        signal: controller.signal,
        warn: (message) => log.push(message),
      }),
  };
}

Deno.test("the refresh loop sleeps until 10 minutes before expiry, checking every minute", async () => {
  const min = 60_000;
  const loop = fakeLoop([new Date(13 * min + 30_000), new Date(80 * min)]);
  await loop.run();
  assertEquals(REFRESH_MARGIN_MS, 10 * min);
  assertEquals(CHECK_INTERVAL_MS, min);
  assertEquals(loop.log, [
    "sleep 1 min",
    "sleep 1 min",
    "sleep 1 min",
    "sleep 0.5 min",
    "refresh at 3.5 min",
  ]);
});

Deno.test("a failed refresh is reported and tried again a minute later", async () => {
  const loop = fakeLoop([undefined, new Date(0)], 1);
  await loop.run();
  assertEquals(loop.log.slice(0, 4), [
    "sleep 1 min",
    "refresh at 1 min",
    "Cannot refresh the credentials: ConsoleMe is down; trying again in a minute",
    "sleep 1 min",
  ]);
  assertEquals(loop.log[4], "refresh at 2 min");
});
