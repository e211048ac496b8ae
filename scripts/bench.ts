/**
 * `deno task bench`: whole-process figures for weep's hot paths, each beside a reference measured in the same
 * run (median of several runs after warm-up; wall time and peak memory). `--write` also records the table,
 * the machine and the command in docs/benchmarks.md.
 *
 * Runs everything on loopback: the test ConsoleMe server, a throw-away HOME, and the AWS CLI when installed.
 *
 * @module
 */

import { startConsoleMe, syntheticRoles } from "../tests/support/consoleme_server.ts";
import { baseEnv, tempHome } from "../tests/support/cli.ts";
import { storedSession } from "../tests/support/logged_in.ts";
import { ROOT, weepRunArgs } from "./weep_command.ts";

const RUNS = Number(Deno.env.get("WEEP_BENCH_RUNS") ?? 21);
const write = Deno.args.includes("--write");
const out = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text));

interface Sample {
  ms: number;
  rssKb: number;
}

const TIME = await (async () => {
  try {
    const probe = await new Deno.Command("/usr/bin/time", { args: ["-f", "%M", "true"], stderr: "piped" })
      .output();
    return probe.success ? "/usr/bin/time" : undefined;
  } catch {
    return undefined;
  }
})();

/** Runs a command once; wall time in ms and peak RSS in KiB (0 when /usr/bin/time is missing). */
async function once(cmd: string[], env: Record<string, string>): Promise<Sample> {
  const rssFile = await Deno.makeTempFile();
  const [program, ...args] = TIME ? [TIME, "-f", "%M", "-o", rssFile, ...cmd] : cmd;
  const started = performance.now();
  const result = await new Deno.Command(program!, {
    args,
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  const ms = performance.now() - started;
  const rssKb = Number((await Deno.readTextFile(rssFile)).trim().split("\n").pop()) || 0;
  await Deno.remove(rssFile);
  if (!result.success) throw new Error(`${cmd.join(" ")} failed: ${new TextDecoder().decode(result.stderr)}`);
  return { ms, rssKb };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time and peak memory of `cmd` over RUNS runs after two warm-ups, interleaved with `ref`. */
async function compare(cmd: string[], ref: string[], env: Record<string, string>) {
  for (let i = 0; i < 2; i++) await Promise.all([once(cmd, env), once(ref, env)]);
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(await once(cmd, env));
    b.push(await once(ref, env));
  }
  const summary = (xs: Sample[]) => ({
    ms: median(xs.map((x) => x.ms)),
    rssKb: median(xs.map((x) => x.rssKb)),
  });
  return { weep: summary(a), ref: summary(b) };
}

const rows: string[][] = [["measurement", "weep", "reference", "ratio", "peak memory (weep / ref)"]];
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const mem = (kb: number) => (kb ? `${(kb / 1024).toFixed(0)} MiB` : "n/a");
function row(name: string, w: Sample, r: Sample, refName: string) {
  rows.push([
    name,
    fmt(w.ms),
    `${fmt(r.ms)} (${refName})`,
    (w.ms / r.ms).toFixed(2),
    `${mem(w.rssKb)} / ${mem(r.rssKb)}`,
  ]);
  out(`${name}: ${fmt(w.ms)} vs ${fmt(r.ms)} ${refName}\n`);
}

await using cm = await startConsoleMe({ autoApprove: true });
await using home = await tempHome();
await home.writeConfig(`consoleme_url: ${cm.url}\nchallenge_settings:\n  user: alice@example.com\n`);
const env = baseEnv(home.home);
const weep = (...args: string[]) => [Deno.execPath(), ...weepRunArgs(env), ...args];
const empty = `${home.home}/empty.ts`;
await Deno.writeTextFile(empty, "");
// The floor: the same deno flags and permission set as weep, running an empty module instead of src/main.ts.
const floor = [Deno.execPath(), ...weepRunArgs(env).slice(0, -1), empty];

// 1. Cache hit vs the floor: an empty module under the same permission set.
await once(weep("credential_process", "test_account_user"), env);
const hit = await compare(weep("credential_process", "test_account_user"), floor, env);
row("credential_process, cache hit", hit.weep, hit.ref, "deno run of an empty module");

// 2. Cache miss against the local server vs the same request made with curl.
const session = (await storedSession(home, cm, "alice@example.com"))!;
const curl = [
  "curl",
  "-sf",
  "-o",
  "/dev/null",
  "-X",
  "POST",
  "-H",
  "Content-Type: application/json",
  "-H",
  `Cookie: ${session.cookie_name}=${session.encoded_jwt}`,
  "--data",
  '{"requested_role":"test_account_user","no_ip_restrictions":false}',
  `${cm.url}/api/v1/get_credentials`,
];
const miss = await compare(weep("credential_process", "--no-cache", "test_account_user"), curl, env);
row("credential_process, cache miss", miss.weep, miss.ref, "curl, same request");

// 3. 50 parallel cold calls: wall time and how many requests reached the broker.
await Deno.remove(`${home.weep}/cache`, { recursive: true });
cm.clearRequests();
const started = performance.now();
await Promise.all(
  Array.from({ length: 50 }, () => once(weep("credential_process", "test_account_user"), env)),
);
const parallelMs = performance.now() - started;
const brokerRequests = cm.count("/api/v1/get_credentials");
rows.push([
  "50 parallel cold credential_process",
  fmt(parallelMs),
  `${brokerRequests} broker request(s)`,
  "",
  "",
]);
out(`50 parallel cold calls: ${fmt(parallelMs)}, ${brokerRequests} broker request(s)\n`);

// 4. 30 parallel callers against a hung ConsoleMe: one request times out and the others take its outcome, so
//    the batch should end about one http_timeout after it started (Netflix weep, and weep before, stacked them).
const HUNG_TIMEOUT_S = 5;
const CALLERS = 30;
const hungEnv = { ...env, WEEP_SERVER_HTTP_TIMEOUT: String(HUNG_TIMEOUT_S) };
const hungRows: string[][] = [[
  `${CALLERS} parallel callers, hung ConsoleMe`,
  "wall time",
  "× http_timeout",
  "exit codes",
  "broker requests",
]];
for (const cache of ["no entry", "stale entry"]) {
  // `cache clear` also forgets the failure the previous batch left for cache.failure_window.
  await once(weep("cache", "clear"), env);
  if (cache === "stale entry") {
    await once(weep("credential_process", "test_account_user"), env);
    await ageEntries(`${home.weep}/cache`);
  }
  cm.clearRequests();
  cm.fault("slow", { times: Infinity });
  const [program, ...args] = weep("credential_process", "test_account_user");
  const t0 = performance.now();
  const codes = await Promise.all(Array.from({ length: CALLERS }, async () => {
    const run = new Deno.Command(program!, {
      args,
      env: hungEnv,
      clearEnv: true,
      stdout: "null",
      stderr: "null",
    });
    return (await run.output()).code;
  }));
  const wall = performance.now() - t0;
  cm.clearFaults();
  const ratio = wall / 1000 / HUNG_TIMEOUT_S;
  const exits = [...new Set(codes)].sort().join(", ");
  const requests = cm.count("/api/v1/get_credentials");
  hungRows.push([cache, fmt(wall), ratio.toFixed(2), exits, String(requests)]);
  out(`${CALLERS} callers, hung ConsoleMe, ${cache}: ${fmt(wall)} = ${ratio.toFixed(2)} x http_timeout\n`);
}

/** Ages every cache entry in `dir`: fetched 50 minutes ago, 10 minutes left (inside the refresh window). */
async function ageEntries(dir: string): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
  for await (const item of Deno.readDir(dir)) {
    if (!item.isFile || !item.name.endsWith(".json")) continue;
    const entry = JSON.parse(await Deno.readTextFile(`${dir}/${item.name}`));
    entry.fetchedAt = iso(Date.now() - 50 * 60_000);
    entry.credentials.Expiration = iso(Date.now() + 10 * 60_000);
    await Deno.writeTextFile(`${dir}/${item.name}`, JSON.stringify(entry) + "\n");
  }
}

// 5. generate with 100 / 1,000 / 10,000 roles: weep's own time is logged by generate at debug level.
const generateRows: string[][] = [["roles", "wall time", "weep's own time", "config size"]];
for (const n of [100, 1_000, 10_000]) {
  cm.setRoles(syntheticRoles(n));
  const config = `${home.aws}/config-${n}`;
  const genEnv = { ...env, AWS_CONFIG_FILE: config };
  const cmd = [Deno.execPath(), ...weepRunArgs(genEnv), "--log-level", "debug", "generate"];
  const t0 = performance.now();
  const result = await new Deno.Command(cmd[0]!, {
    args: cmd.slice(1),
    env: genEnv,
    clearEnv: true,
    stderr: "piped",
  })
    .output();
  const wall = performance.now() - t0;
  const log = new TextDecoder().decode(result.stderr);
  const own = /own time (\d+(?:\.\d+)?) ms/.exec(log)?.[1];
  const size = result.success ? (await Deno.stat(config)).size : 0;
  generateRows.push([
    n.toLocaleString("en"),
    result.success ? fmt(wall) : "failed",
    own ? `${own} ms` : "n/a",
    `${(size / 1024).toFixed(0)} KiB`,
  ]);
  out(`generate ${n} roles: ${fmt(wall)} wall, own ${own ?? "n/a"} ms\n`);
}

// 6. What a big config costs the AWS CLI: list-profiles on 10,000 generated profiles vs an empty config.
const awsRows: string[][] = [["client", "10,000 profiles", "empty config", "ratio"]];
for (const aws of ["/usr/bin/aws", "aws"]) {
  try {
    const version = await new Deno.Command(aws, { args: ["--version"], stdout: "piped", stderr: "piped" })
      .output();
    if (!version.success) continue;
    const label = new TextDecoder().decode(version.stdout).split(" ")[0] ?? aws;
    await Deno.writeTextFile(`${home.aws}/config-empty`, "");
    const big = { ...env, AWS_CONFIG_FILE: `${home.aws}/config-10000` };
    const small = { ...env, AWS_CONFIG_FILE: `${home.aws}/config-empty` };
    const runs = 5;
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < runs; i++) {
      a.push((await once([aws, "configure", "list-profiles"], big)).ms);
      b.push((await once([aws, "configure", "list-profiles"], small)).ms);
    }
    awsRows.push([label, fmt(median(a)), fmt(median(b)), (median(a) / median(b)).toFixed(2)]);
    out(`${label} list-profiles: ${fmt(median(a))} vs ${fmt(median(b))}\n`);
  } catch {
    // that CLI is not installed
  }
}

const table = (t: string[][]) =>
  [t[0]!, t[0]!.map(() => "---"), ...t.slice(1)].map((r) => `| ${r.join(" | ")} |`).join("\n");
const cpu = (await Deno.readTextFile("/proc/cpuinfo").catch(() => "")).match(/model name\s*:\s*(.*)/)?.[1] ??
  "";
const machine =
  `${Deno.build.os} ${Deno.build.arch}, ${navigator.hardwareConcurrency} cores${cpu ? ` (${cpu})` : ""}, ` +
  `Deno ${Deno.version.deno}`;
const report = `# Benchmarks

Measured by \`deno task bench -- --write\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.
Each figure is the median of ${RUNS} whole-process runs after two warm-ups, interleaved with its reference.
weep runs from source (\`deno run\` under its real permission set), against the local test ConsoleMe server.

## credential_process

${table(rows)}

The cache-hit target is a ratio of at most 1.3 against the floor (Deno starting an empty module with the same
flags and permissions); the 50-call target is one broker request. A hit loads only \`src/cache/fast_path.ts\` and
what it needs: the command tree, the YAML parser, the validation library and the network code are loaded on demand
(\`--unstable-lazy-dynamic-imports\`) and a hit never needs them. Before it trusts the config snapshot and the entry, a
hit checks that each is a regular file of yours that nobody else may write (\`src/platform/state_trust.ts\`: one
\`lstat\` before opening, one \`fstat\` of the opened file): about 0.6 ms.

A miss (measured with \`--no-cache\`) loads the config loader (\`js-yaml\`, \`valibot\`, about 10 ms), the
ConsoleMe client, login and STS code, then makes the ConsoleMe round trip and writes the cache; it still skips
the command tree (\`commander\` alone costs about 25 ms, as it starts Deno's Node compatibility layer), which only
arguments the fast parser does not understand need. A miss happens once per role and user per 40 minutes or so,
so the hit is what SDKs feel.

## A hung ConsoleMe

${table(hungRows)}

${CALLERS} \`weep credential_process\` processes start at once against a ConsoleMe that accepts the connection and
never answers, with \`server.http_timeout\` at ${HUNG_TIMEOUT_S} s. The first takes the role's lock and times out;
it keeps its failure next to the lock (\`cache.failure_window\`), and every process that waited takes that outcome
instead of asking again: all fail (exit 1) with no entry, or all print the stale entry (exit 0) with one warning.
The goal is at most 1.2 × http_timeout. Before, each waiter took the lock in turn and spent its own timeout: the
same batch took 30.7 × http_timeout and sent 30 requests (measured once, with http_timeout at 1 s). What is left
above 1.0 is starting ${CALLERS} Deno processes on this machine and handing the lock from one to the next.

## generate

${table(generateRows)}

"weep's own time" is what generate logs at debug level: planning the edit and writing the file, without
the ConsoleMe request.

## What a large ~/.aws/config costs the AWS CLI

${table(awsRows)}

Each figure is the median of 5 runs of \`aws configure list-profiles\` (AWS CLI v1 has no such command, so only v2
is measured). Every AWS CLI command reads the whole file, so a large generated config slows every call: use
\`weep generate --include\`/\`--exclude\` to write only the roles you use.
`;
out("\n" + report);
if (write) {
  await Deno.writeTextFile(`${ROOT}/docs/benchmarks.md`, report);
  out(`\nwrote ${ROOT}/docs/benchmarks.md\n`);
}
