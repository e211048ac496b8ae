import { assert, assertEquals, assertMatch, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { memoryOutput } from "../../src/platform/output.ts";
import type { Listener } from "../../src/server/listen.ts";
import { CredentialCache } from "../../src/server/credential_cache.ts";
import { ecsPath, endpointExports, keepWarmTick, runServer, type ServeInput } from "../../src/server/run.ts";
import { brokerFailure, FakeClock, FakeSource, MINUTES } from "./fakes.ts";

const ROLE = "arn:aws:iam::123456789012:role/app_role";

function input(overrides: Partial<ServeInput> = {}): ServeInput {
  return {
    role: undefined,
    address: "127.0.0.1",
    port: 0,
    assumeRoles: [],
    noIp: false,
    enforceImdsv2: false,
    routes: [],
    region: "us-east-1",
    staleMinRemainingSeconds: 120,
    ...overrides,
  };
}

/** Starts runServer; resolves once it listens (or rejects if it fails to start). */
async function start(serveInput: ServeInput, fake?: FakeSource) {
  const clock = new FakeClock();
  const source = fake ?? new FakeSource(clock);
  const memory = memoryOutput();
  const controller = new AbortController();
  const listening = Promise.withResolvers<Listener>();
  const done = runServer(serveInput, {
    source: source.source,
    output: memory.output,
    now: clock.now,
    signal: controller.signal,
    onListening: listening.resolve,
  });
  done.catch(listening.reject);
  const listener = await listening.promise;
  return {
    listener,
    memory,
    source,
    async [Symbol.asyncDispose]() {
      controller.abort();
      await done;
    },
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

Deno.test("ecsPath keeps ARNs readable and encodes what a shell or URL would misread", () => {
  assertEquals(ecsPath(ROLE), `/ecs/${ROLE}`);
  assertEquals(ecsPath("team/app role"), "/ecs/team/app%20role");
  assertEquals(ecsPath("it's (x)*!"), "/ecs/it%27s%20%28x%29%2A%21");
  assertEquals(ecsPath("a?b#c&d$e"), "/ecs/a%3Fb%23c%26d%24e");
});

Deno.test("endpointExports: the full URI for a role, the base without one, then the token", () => {
  assertEquals(
    endpointExports("http://127.0.0.1:9091", ROLE, "tok"),
    `export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:9091/ecs/${ROLE}\n` +
      "export AWS_CONTAINER_AUTHORIZATION_TOKEN=tok\n",
  );
  assertStringIncludes(endpointExports("http://[::1]:1", undefined, "tok"), "FULL_URI=http://[::1]:1/ecs/\n");
});

Deno.test("runServer prints the export lines on stdout, serves them, and stops cleanly on abort", async () => {
  const server = await start(input());
  const stdout = server.memory.stdout();
  const match = /^export AWS_CONTAINER_CREDENTIALS_FULL_URI=(http:\/\/127\.0\.0\.1:(\d+)\/ecs\/)\n/.exec(
    stdout,
  );
  assert(match, stdout);
  assertEquals(Number(match[2]), server.listener.port);
  const token = /AWS_CONTAINER_AUTHORIZATION_TOKEN=([A-Za-z0-9_-]{43})\n$/.exec(stdout)?.[1];
  assert(token, stdout);
  const response = await fetch(`${match[1]}${ROLE}`, { headers: { authorization: token } });
  assertEquals(response.status, 200);
  assertEquals((await response.json()).RoleArn, ROLE);
  await server.stop();
  const stderr = server.memory.stderr();
  assertStringIncludes(stderr, `Serving credentials on http://127.0.0.1:${server.listener.port}`);
  assertStringIncludes(stderr, "Append a role to AWS_CONTAINER_CREDENTIALS_FULL_URI");
  assertStringIncludes(stderr, "Stopped serving credentials");
  assert(!stderr.includes(token), "the token reached stderr");
});

Deno.test("runServer with a role fetches once at start and prints the role's full URI", async () => {
  await using server = await start(input({ role: ROLE, address: "::1" }));
  assertEquals(server.source.calls, 1);
  assertMatch(server.memory.stdout(), new RegExp(`FULL_URI=http://\\[::1\\]:\\d+/ecs/${ROLE}\n`));
  assertStringIncludes(server.memory.stderr(), "AWS_EC2_METADATA_SERVICE_ENDPOINT=http://[::1]:");
  const imds = await fetch(`${server.listener.url}/latest/meta-data/iam/security-credentials/`);
  assertEquals(await imds.text(), "app_role");
  assertEquals(server.source.calls, 1);
});

Deno.test("runServer with a role fails fast, prints nothing on stdout and leaves no server running", async () => {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  fake.failure = brokerFailure();
  const memory = memoryOutput();
  await assertRejects(
    () =>
      runServer(input({ role: "nope" }), {
        source: fake.source,
        output: memory.output,
        now: clock.now,
        signal: new AbortController().signal,
      }),
    'ConsoleMe has no role matching "nope"',
  );
  assertEquals(memory.stdout(), "");
});

Deno.test("runServer refuses a global --assume-role that is not a role ARN before doing anything", async () => {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  await assertRejects(
    () =>
      runServer(input({ assumeRoles: ["app_role"] }), {
        source: fake.source,
        output: memoryOutput().output,
        now: clock.now,
        signal: new AbortController().signal,
      }),
    'Invalid role ARN "app_role" for --assume-role',
  );
  assertEquals(fake.calls, 0);
});

Deno.test("runServer warns when listening beyond loopback", async () => {
  await using server = await start(input({ address: "0.0.0.0" }));
  assertStringIncludes(server.memory.stdout(), "FULL_URI=http://127.0.0.1:");
  assertStringIncludes(server.memory.stderr(), "Serving credentials on http://0.0.0.0:");
  assertStringIncludes(server.memory.stderr(), "which other computers may reach");
});

Deno.test("keepWarmTick refreshes the IMDS role when due, but does not revive credentials left to expire", async () => {
  const clock = new FakeClock();
  const fake = new FakeSource(clock);
  const cache = new CredentialCache({ source: fake.source, now: clock.now });
  const query = { role: ROLE, assumeRoles: [], noIp: false };
  await keepWarmTick(cache, query);
  assertEquals(fake.calls, 0, "nothing cached yet: nothing to keep warm");
  await cache.get(query);
  await keepWarmTick(cache, query);
  assertEquals(fake.calls, 1, "still fresh");
  clock.advance(46 * MINUTES);
  await keepWarmTick(cache, query);
  assertEquals(fake.calls, 2, "due: refreshed ahead of expiry");
  fake.failure = brokerFailure();
  clock.advance(50 * MINUTES);
  await keepWarmTick(cache, query);
  assertEquals(fake.calls, 3, "a failed refresh does not reject");
  clock.advance(10 * MINUTES);
  await keepWarmTick(cache, query);
  assertEquals(fake.calls, 3, "expired: left for the next request");
});
