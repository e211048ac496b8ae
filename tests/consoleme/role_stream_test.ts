/**
 * The role list read as it arrives gives what the whole body read at once gives: the same roles, the same first
 * problem, the same refusal of what is no JSON, however the body is cut into pieces.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { Random } from "../support/ini_gen.ts";
import { parseRolesV2 } from "../../src/consoleme/role_list.ts";
import { roleListReader } from "../../src/consoleme/role_stream.ts";

/** What the reader makes of `body` cut at `cuts`. */
function streamed(body: string, cuts: number[]) {
  const reader = roleListReader();
  let at = 0;
  for (const cut of [...cuts, body.length]) {
    if (cut > at) reader.write(body.slice(at, cut));
    at = Math.max(at, cut);
  }
  return reader.end();
}

/** What reading `body` whole gives: the roles or problem, or `undefined` when it is no JSON. */
function whole(body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  return parseRolesV2(json);
}

function assertSame(body: string, cuts: number[], label: string) {
  const expected = whole(body);
  const got = streamed(body, cuts);
  if (expected === undefined) {
    assert("text" in got, `${label}: no JSON, so the text is read as usual`);
    let parsed = true;
    try {
      JSON.parse(got.text);
    } catch {
      parsed = false;
    }
    assertEquals(parsed, false, `${label}: the text left is no JSON either`);
  } else {
    assert("json" in got, `${label}: read as it arrived`);
    assertEquals(got.json, expected, label);
  }
}

const STRINGS = ['"a"', '"b\\"c"', '"\\\\"', '"{[\\"]}"', '"é ü \\u00e9"', '"\\n\\t"', '""', '"}]"'];
const VALUES = ["null", "5", "-1.5e3", "true", "[]", "{}", ...STRINGS];

function randomRole(random: Random): string {
  const arn = `"arn:aws:iam::${random.int(100000000000, 100000000009)}:role/r_${random.int(0, 999)}"`;
  const fields = [`"arn": ${random.chance(0.97) ? arn : random.pick(VALUES)}`];
  if (random.chance(0.7)) fields.push(`"account_id": ${random.pick(['"123"', "null", ...STRINGS])}`);
  if (random.chance(0.7)) {
    fields.push(`"account_friendly_name": ${random.pick(['"Unknown"', "null", ...STRINGS])}`);
  }
  if (random.chance(0.5)) fields.push(`"role_name": ${random.pick(['"r"', "null", ...STRINGS])}`);
  if (random.chance(0.5)) {
    const app = `{"name": ${random.pick(STRINGS)}, "owner": null, "owner_url": ${random.pick(VALUES)}}`;
    fields.push(`"apps": ${random.pick(["null", '{"app_details": null}', `{"app_details": [${app}]}`])}`);
  }
  if (random.chance(0.3)) {
    fields.push(`"extra": {"roles": [${random.pick(VALUES)}], "data": ${random.pick(VALUES)}}`);
  }
  return `{${fields.join(random.pick([", ", ",", ",\n  "]))}}`;
}

function randomBody(random: Random): string {
  const roles = Array.from(
    { length: random.int(0, 6) },
    () => random.chance(0.95) ? randomRole(random) : random.pick(VALUES),
  );
  const list = `[${roles.join(random.pick([", ", ",\n", ","]))}]`;
  const data = random.chance(0.95) ? `{"roles": ${list}}` : random.pick([`{"role": ${list}}`, list, "null"]);
  const members = [`"status": "success"`, `"status_code": 200`, `"data": ${data}`];
  if (random.chance(0.2)) members.push(`"data\\u0032": {"roles": [1]}`);
  if (random.chance(0.2)) members.unshift(`"message": ${random.pick(STRINGS)}`);
  let body = random.pick(["", " ", "\n"]) + `{${members.join(", ")}}` + random.pick(["", "\n", "  "]);
  // Break some: cut short, or a character changed, added or taken out.
  if (random.chance(0.3)) {
    const at = random.int(0, body.length);
    const how = random.int(0, 3);
    const char = random.pick(["{", "}", "[", "]", '"', "\\", ",", ":", "x", " "]);
    if (how === 0) body = body.slice(0, at);
    else if (how === 1) body = body.slice(0, at) + char + body.slice(at + 1);
    else if (how === 2) body = body.slice(0, at) + char + body.slice(at);
    else body = body.slice(0, at) + body.slice(at + 1);
  }
  return body;
}

Deno.test("the role list read as it arrives gives what the whole body read at once gives", () => {
  let read = 0;
  let refused = 0;
  let problems = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const random = new Random(seed);
    const body = randomBody(random);
    const cuts = Array.from({ length: random.int(0, 8) }, () => random.int(0, body.length)).sort((a, b) =>
      a - b
    );
    assertSame(body, cuts, `seed ${seed}: ${JSON.stringify(body)} cut at ${cuts}`);
    // Also cut at every character, where strings, escapes and keys are split.
    if (seed % 50 === 0) {
      assertSame(
        body,
        Array.from(body, (_, i) => i),
        `seed ${seed}, one character a piece`,
      );
    }
    const expected = whole(body);
    if (expected === undefined) refused++;
    else if ("where" in expected) problems++;
    else read++;
  }
  // The runs must have met every outcome.
  assert(
    read > 300 && refused > 300 && problems > 300,
    `read ${read}, refused ${refused}, problems ${problems}`,
  );
});

Deno.test("the role list read as it arrives reads ConsoleMe's answer and reports the first misfit by its path", () => {
  const body =
    '{"status": "success", "data": {"roles": [{"arn": "arn:aws:iam::1:role/t/a", "account_id": "1", ' +
    '"account_friendly_name": "prod", "role_name": null, "apps": {"app_details": [{"name": "x", "owner": "o", ' +
    '"owner_url": null, "app_url": null}]}}, {"arn": "arn:aws:iam::1:role/b", "apps": null}]}}';
  assertEquals(streamed(body, [17, 60, 61, 62]), {
    json: [
      {
        arn: "arn:aws:iam::1:role/t/a",
        accountId: "1",
        accountName: "prod",
        roleName: "t/a",
        apps: [{ name: "x", owner: "o", ownerUrl: "", appUrl: "" }],
      },
      { arn: "arn:aws:iam::1:role/b", accountId: "", accountName: "", roleName: "b", apps: [] },
    ],
  });
  assertEquals(streamed('{"data": {"roles": [{"arn": "a"}, 7, {"arn": 5}]}}', []), {
    json: { where: "data.roles.1", message: "Expected an object, got a number" },
  });
  assertEquals(streamed('{"data": {"roles": [{"arn": "a"}, {"arn": 5}, 7]}}', []), {
    json: { where: "data.roles.1.arn", message: "Expected a string, got a number" },
  });
  assertEquals(streamed('{"data": {}}', []), {
    json: { where: "data.roles", message: "Expected an array, got nothing" },
  });
  // A list given twice is refused, whichever JSON.parse would keep.
  assertEquals(streamed('{"data": {"roles": [], "roles": [{"arn": "a"}]}}', []), {
    json: { where: "data.roles", message: "Expected the key once, got it more than once" },
  });
});

Deno.test("the role list read as it arrives keeps an answer that is no JSON object as text", () => {
  const page = "<!doctype html><html><body>ConsoleMe</body></html>";
  assertEquals(streamed(page, [5]), { text: page });
  assertEquals(streamed("", []), { text: "" });
  assertEquals(streamed('{"data": {"roles": [{"arn": "a"}', [3]), { text: "" });
});

Deno.test("an answer nested deeper than ConsoleMe's ever are is refused, not parsed (a hostile one could take gigabytes)", () => {
  const tooDeep = {
    json: { where: "", message: "Expected at most 64 levels of arrays and objects, got more" },
  };
  const inRole = `{"data": {"roles": [{"arn": "a", "x": ${"[".repeat(100_000)}`;
  assertEquals(streamed(inRole, [5, 40, 5_000]), tooDeep);
  const outside = `{"data": {"other": ${'{"a": '.repeat(100)}1${"}".repeat(100)}, "roles": []}}`;
  assertEquals(streamed(outside, [9]), tooDeep);
  assertEquals(streamed("[".repeat(100_000) + "]".repeat(100_000), [3]), tooDeep);
  // Brackets inside strings are text, and 60 levels are still read.
  const strings = `{"data": {"roles": [{"arn": "${"[".repeat(1_000)}", "x": ${"[".repeat(55)}${
    "]".repeat(55)
  }}]}}`;
  const read = streamed(strings, [30]);
  assert("json" in read && Array.isArray(read.json) && read.json.length === 1, JSON.stringify(read));
});
