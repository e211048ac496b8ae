import { SWAG_BODY_LIMIT, swagAccountName, swagAccountUrl, type SwagDeps } from "../../src/consoleme/swag.ts";
import { principalOf } from "../../src/aws/arn.ts";
import { formatWhoami } from "../../src/commands/whoami.ts";
import { InterruptedError, WeepError } from "../../src/errors.ts";
import { USER_AGENT } from "../../src/version.ts";
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";

function deps(extra: Partial<SwagDeps> = {}): SwagDeps {
  return { fetch, timeoutMs: 5000, userAgent: USER_AGENT, ...extra };
}

/** The failure `swagAccountName` throws for `baseUrl`. */
async function failure(baseUrl: string, extra: Partial<SwagDeps> = {}): Promise<WeepError> {
  const error = await assertRejects(() => swagAccountName(baseUrl, "012345678903", deps(extra)));
  assert(error instanceof WeepError, String(error));
  assertEquals(error.failure, "transient");
  return error;
}

Deno.test("SWAG's record of an account gives its name; weep sends no ConsoleMe login", async () => {
  await using cm = await startConsoleMe();
  assertEquals(await swagAccountName(`${cm.url}/swag/`, "012345678903", deps()), "test_account");
  assertEquals(cm.requests.map((r) => [r.method, r.path, r.cookie, r.userAgent]), [
    ["GET", "/swag/1/accounts/012345678903", false, USER_AGENT],
  ]);
  assertEquals(
    swagAccountUrl("https://swag.example.com/api//", "1 2"),
    "https://swag.example.com/api/1/accounts/1%202",
  );
});

Deno.test("an account SWAG does not know (404) is no name, and no error", async () => {
  await using cm = await startConsoleMe();
  assertEquals(await swagAccountName(`${cm.url}/swag`, "999999999999", deps()), undefined);
});

Deno.test("a SWAG that fails says how, naming its origin and swag.url", async () => {
  await using cm = await startConsoleMe();
  const base = `${cm.url}/swag`;
  const endpoint = "/swag/*";

  cm.fault("500", { endpoint });
  const status = await failure(base);
  assertEquals(status.message, `SWAG at "${cm.url}" answered HTTP 500 for account "012345678903"`);
  assertEquals(status.hints, ["Check swag.url in ~/.aws/weep/weep.yaml (or set swag.enable: false)"]);

  for (const kind of ["html", "garbage"] as const) {
    cm.fault(kind, { endpoint });
    const garbled = await failure(base);
    assertEquals(garbled.message, `SWAG at "${cm.url}" answered account "012345678903" without a name`);
  }

  cm.fault("endless", { endpoint });
  assertEquals(
    (await failure(base)).message,
    `Cannot reach SWAG at "${cm.url}": it answered with more than ${SWAG_BODY_LIMIT / (1 << 20)} MiB`,
  );

  cm.fault("slow", { endpoint });
  assertEquals(
    (await failure(base, { timeoutMs: 300 })).message,
    `Cannot reach SWAG at "${cm.url}": no answer within 0.3 s`,
  );

  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closed = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`;
  listener.close();
  assertEquals(
    (await failure(`${closed}/swag`)).message,
    `Cannot reach SWAG at "${closed}": connection refused`,
  );
});

Deno.test("a name that is not one (not a string, empty, huge) is refused; a hostile one is shown harmless", async () => {
  await using cm = await startConsoleMe();
  const endpoint = "/swag/*";
  for (const body of ['{"name": 7}', '{"name": "  "}', `{"name": "${"x".repeat(10_000)}"}`, "null"]) {
    cm.fault("body", { endpoint, body });
    assertEquals(
      (await failure(`${cm.url}/swag`)).message,
      `SWAG at "${cm.url}" answered account "012345678903" without a name`,
    );
  }
  cm.fault("body", { endpoint, body: '{"name": "\\u001b[2Jprod\\nARN:     forged"}' });
  const name = await swagAccountName(`${cm.url}/swag`, "012345678903", deps());
  const arn = "arn:aws:sts::012345678903:assumed-role/r/s";
  const shown = formatWhoami({
    account: "012345678903",
    accountName: name,
    arn,
    userId: "AROA:s",
    principal: principalOf(arn),
    source: "the environment",
  });
  assertEquals(shown.split("\n")[1], "Account: ?[2Jprod ARN:     forged (012345678903)");
});

Deno.test("Ctrl-C during the SWAG look-up is an interruption, not a warning", async () => {
  await using cm = await startConsoleMe();
  cm.fault("slow", { endpoint: "/swag/*" });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const error = await assertRejects(() =>
    swagAccountName(`${cm.url}/swag`, "012345678903", deps({ signal: controller.signal }))
  );
  assert(error instanceof InterruptedError, String(error));
});
