import { defaults } from "../../src/config/schema.ts";
import {
  checkApi,
  checkConfig,
  checkHealth,
  checkInstall,
  checkSession,
  checkStateFiles,
} from "../../src/doctor/weep_checks.ts";
import { formatReport, reportExitCode } from "../../src/doctor/report.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";

const PATHS = { home: "/home/u", weepConfigFile: "/home/u/.aws/weep/weep.yaml" };

const loaded = (url: string, warnings: string[] = []) => {
  const config = defaults();
  config.consoleme_url = url;
  return { config, sources: new Map(), warnings, files: ["/h/.aws/weep/weep.yaml"] };
};
const response = (status: number, text: string, contentType = "application/json") => ({
  status,
  text,
  contentType,
});

Deno.test("config: a loading error fails with its hints; a missing consoleme_url fails; unknown keys warn", () => {
  assertEquals(checkConfig({ error: "Invalid config", hints: ["fix it"] }, PATHS, "linux"), {
    title: "Config",
    status: "fail",
    detail: "Invalid config",
    lines: ["fix it"],
  });
  assertEquals(checkConfig(loaded(""), PATHS, "linux").status, "fail");
  assertEquals(
    checkConfig(loaded("https://cm"), PATHS, "linux").detail,
    "/h/.aws/weep/weep.yaml; ConsoleMe https://cm, challenge login",
  );
  assertEquals(checkConfig(loaded("https://cm", ['Unknown config key "x"']), PATHS, "linux").status, "warn");
});

Deno.test("health: OK passes; HTML or other answers fail; network errors fail with their hints", () => {
  assertEquals(checkHealth("https://cm", response(200, "OK", "text/plain")).status, "ok");
  const html = checkHealth("https://cm/ui", response(200, "<!doctype html>", "text/html"));
  assertEquals(html.status, "fail");
  assertStringIncludes(html.detail, "with an HTML page");
  assertEquals(checkHealth("https://cm", { error: "Cannot reach", hints: ["check"] }).lines, ["check"]);
  assertStringIncludes(
    checkHealth("https://cm", response(200, "Welcome", "text/plain")).detail,
    "answered HTTP 200 with something else, not OK",
  );
  assertStringIncludes(
    checkHealth("https://cm", response(503, "down\x1b[2J key ASIAQWERTYUIOPASDFGH", "text/plain")).detail,
    'answered HTTP 503 with "down?[2J key [redacted]", not OK',
  );
});

Deno.test("Weep files: ok with nothing found; each problem and each fix on its own line otherwise", () => {
  assertEquals(checkStateFiles({ problems: [], checked: 7 }), {
    title: "Weep files",
    status: "ok",
    detail: "7 in ~/.aws/weep are yours and private (0700 directories, 0600 files)",
  });
  const found = checkStateFiles({
    checked: 3,
    problems: [
      {
        path: "/h/.aws/weep/cache",
        problem: "has mode 0777, not 0700",
        fix: 'chmod 700 "/h/.aws/weep/cache"',
      },
      {
        path: "/h/.aws/weep/cache/a.json",
        problem: "is a symbolic link: weep refuses it",
        fix: 'rm "/h/.aws/weep/cache/a.json"',
      },
    ],
  });
  assertEquals(found.status, "fail");
  assertEquals(found.detail, "2 problems with weep's logins, credentials and locks");
  assertEquals(found.lines, [
    "/h/.aws/weep/cache has mode 0777, not 0700",
    "/h/.aws/weep/cache/a.json is a symbolic link: weep refuses it",
    'Fix: chmod 700 "/h/.aws/weep/cache"',
    'Fix: rm "/h/.aws/weep/cache/a.json"',
  ]);
});

Deno.test("API: any JSON answer passes (a 403 without a login too); HTML and garbage fail", () => {
  assertEquals(
    checkApi("https://cm", response(200, '{"data": {}}'), true).detail,
    "answers JSON and accepts your login",
  );
  assertEquals(
    checkApi("https://cm", response(403, '{"status": 403}'), false).detail,
    "answers JSON (HTTP 403 without a login)",
  );
  assertEquals(checkApi("https://cm", response(200, "<html>", "text/html"), false).status, "fail");
  assertEquals(checkApi("https://cm", response(200, '{"broken'), false).status, "fail");
});

Deno.test("login: mTLS needs none; missing, foreign, expired or rejected logins warn", () => {
  const now = new Date(1_800_000_000_000);
  const session = {
    cookie_name: "c",
    encoded_jwt: "jwt",
    expiration: 1_800_003_600,
    user: "alice@example.com",
    consoleme_url: "https://cm",
  };
  const facts = { method: "challenge", baseUrl: "https://cm", session, now, rejected: false };
  assertEquals(checkSession(facts).detail, "logged in as alice@example.com until 2027-01-15T09:00:00.000Z");
  assertEquals(checkSession({ ...facts, method: "mtls" }).status, "ok");
  for (
    const changed of [
      { session: undefined },
      { baseUrl: "https://other" },
      { now: new Date(1_800_003_600_000) },
      { rejected: true },
    ]
  ) assertEquals(checkSession({ ...facts, ...changed }).status, "warn", JSON.stringify(changed));
});

Deno.test("install: profiles must run the installed weep, by path or first on PATH", () => {
  const record = { kind: "binary", path: "/h/.deno/bin/weep" };
  const profiles = [{ name: "a", program: "weep" }, { name: "b", program: "/h/.deno/bin/weep" }];
  assertEquals(checkInstall(record, profiles, () => "/h/.deno/bin/weep").status, "ok");
  assertStringIncludes(checkInstall(record, profiles, () => "unknown").detail, "command -v weep");
  const shadowed = checkInstall(record, profiles, () => "/usr/local/bin/weep");
  assertEquals(shadowed.status, "fail");
  assertEquals(shadowed.lines![0], '1 profiles run "weep", which is /usr/local/bin/weep on PATH');
  const stale = checkInstall(record, [{ name: "old", program: "/opt/weep/weep" }], () => undefined);
  assertEquals(stale.lines![0], '"old" runs /opt/weep/weep');
  assertEquals(checkInstall(record, [{ name: "a", program: "weep" }], () => undefined).status, "fail");
  assertEquals(checkInstall(undefined, profiles, () => undefined).status, "warn");
  assertEquals(checkInstall(undefined, [], () => undefined).status, "ok");
});

Deno.test("the report has one line per check, indented details, and a summary; failures exit 1", () => {
  const results = [
    { title: "A", status: "ok" as const, detail: "fine" },
    { title: "B", status: "fail" as const, detail: "broken", lines: ["Fix: this"] },
    { title: "C", status: "warn" as const, detail: "hmm" },
  ];
  assertEquals(
    formatReport(results),
    "[ ok ] A: fine\n[FAIL] B: broken\n       Fix: this\n[warn] C: hmm\n\n1 check failed, 1 with warnings\n",
  );
  assertEquals(reportExitCode(results), 1);
  assertEquals(reportExitCode([results[0]!, results[2]!]), 0);
  assertEquals(formatReport([results[0]!]), "[ ok ] A: fine\n\nAll checks passed\n");
});
