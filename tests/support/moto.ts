/**
 * A local STS for tests (moto's server), and finding the real AWS clients the interop tests drive: AWS CLI v1
 * and v2 and boto3. When one is missing a test skips with a reason on stderr, unless
 * `WEEP_REQUIRE_INTEROP=1`, which makes it a failure.
 *
 * @module
 */

/** A running moto server. */
export interface MotoServer extends AsyncDisposable {
  /** Base URL (`http://127.0.0.1:<port>`), usable as an STS endpoint. */
  readonly url: string;
  /** Stops moto (its whole process group). */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** Writes one line to stderr (tests may not use `console`). */
export function note(line: string): void {
  Deno.stderr.writeSync(encoder.encode(`${line}\n`));
}

/**
 * Whether an interop test may run: true when `found` is truthy. Otherwise it prints why the test skips, or
 * throws when `WEEP_REQUIRE_INTEROP=1` (CI must not silently skip the real clients).
 */
export function requireInterop(what: string, found: unknown, reason = "not installed"): boolean {
  if (found) return true;
  const message = `${what} is not available: ${reason}`;
  if (Deno.env.get("WEEP_REQUIRE_INTEROP") === "1") throw new Error(`${message} (WEEP_REQUIRE_INTEROP=1)`);
  note(`skipping: ${message}`);
  return false;
}

async function run(command: string, args: string[]): Promise<{ code: number; text: string } | undefined> {
  try {
    const out = await new Deno.Command(command, { args, stdin: "null", stdout: "piped", stderr: "piped" })
      .output();
    const decoder = new TextDecoder();
    return { code: out.code, text: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
  } catch {
    return undefined;
  }
}

/** Every executable named `name` on PATH, in PATH order. */
export async function whichAll(name: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").filter(Boolean)) {
    try {
      const info = await Deno.stat(`${dir}/${name}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) found.push(`${dir}/${name}`);
    } catch {
      // Not in this directory.
    }
  }
  return found;
}

const memo = new Map<string, Promise<unknown>>();
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as Promise<T>;
}

async function awsCli(major: 1 | 2, candidates: string[]): Promise<string | undefined> {
  for (const path of [...new Set(candidates)]) {
    const out = await run(path, ["--version"]);
    if (out?.code === 0 && out.text.trim().startsWith(`aws-cli/${major}.`)) return path;
  }
  return undefined;
}

/** The path of AWS CLI v2 (`/usr/bin/aws` when it is v2, else an `aws` on PATH that is), or undefined. */
export function findAwsCliV2(): Promise<string | undefined> {
  return once("aws2", async () => awsCli(2, ["/usr/bin/aws", ...await whichAll("aws")]));
}

/** The path of AWS CLI v1 (Python's `aws`, whose `--version` says `aws-cli/1.`), or undefined. */
export function findAwsCliV1(): Promise<string | undefined> {
  return once("aws1", async () => awsCli(1, await whichAll("aws")));
}

/** Whether `python3` can import boto3. */
export function hasBoto3(): Promise<boolean> {
  return once("boto3", async () => (await run("python3", ["-c", "import boto3"]))?.code === 0);
}

/** How to start moto: `moto_server` on PATH, else `python3 -m moto.server`; or why it cannot be started. */
export function findMoto(): Promise<{ command: string; args: string[] } | { reason: string }> {
  return once("moto", async () => {
    const [server] = await whichAll("moto_server");
    if (server) return { command: server, args: [] };
    const probe = await run("python3", ["-c", "import moto.server"]);
    if (probe?.code === 0) return { command: "python3", args: ["-m", "moto.server"] };
    return { reason: "neither moto_server on PATH nor the python3 module moto.server was found" };
  });
}

/** Reads moto's stderr for the port it reports; keeps draining it (an unread pipe would block moto). */
function watchStderr(stderr: ReadableStream<Uint8Array>, log: string[]) {
  const found = Promise.withResolvers<number | undefined>();
  const decoder = new TextDecoder();
  let buffer = "";
  const drained = (async () => {
    for await (const chunk of stderr) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        log.push(line);
        if (log.length > 20) log.shift();
        const match = line.match(/Running on http:\/\/127\.0\.0\.1:(\d+)/);
        if (match) found.resolve(Number(match[1]));
      }
    }
  })().catch(() => {}).finally(() => found.resolve(undefined));
  return { port: found.promise, drained };
}

/**
 * Starts moto on `127.0.0.1` with a free port and waits until it answers. Returns undefined when moto is not
 * installed, after {@linkcode requireInterop} has printed why (or thrown, under `WEEP_REQUIRE_INTEROP=1`).
 */
export async function startMoto(): Promise<MotoServer | undefined> {
  const how = await findMoto();
  if ("reason" in how) {
    requireInterop("moto", false, how.reason);
    return undefined;
  }
  const child = new Deno.Command(how.command, {
    args: [...how.args, "-H", "127.0.0.1", "-p", "0"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    detached: true,
  }).spawn();
  const log: string[] = [];
  const stderr = watchStderr(child.stderr, log);
  const stop = async () => {
    try {
      Deno.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    await child.status;
    await stderr.drained;
  };
  // A safety net, not a test timing: a moto that never comes up must not hang the suite.
  const deadline = Date.now() + 60_000;
  const timer = setTimeout(() => stop(), 60_000);
  const port = await stderr.port;
  const url = `http://127.0.0.1:${port}`;
  try {
    if (port === undefined) throw new Error("it did not report a port");
    for (;;) {
      try {
        await (await fetch(`${url}/moto-api/data.json`)).body?.cancel();
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`it did not answer at ${url}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } catch (error) {
    await stop();
    throw new Error(
      `Cannot start moto with "${how.command}": ${(error as Error).message}\n${log.join("\n")}`,
    );
  } finally {
    clearTimeout(timer);
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  return { url, close, [Symbol.asyncDispose]: close };
}
