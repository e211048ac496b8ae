/**
 * A local STS for tests: moto's server, started with the Python that has moto ({@linkcode findTool}). When moto
 * is missing a test skips with a reason on stderr, unless `WEEP_REQUIRE_INTEROP=1`, which makes it a failure.
 *
 * @module
 */

import { findTool, requireInterop } from "./tools.ts";

/** A running moto server. */
export interface MotoServer extends AsyncDisposable {
  /** Base URL (`http://127.0.0.1:<port>`), usable as an STS endpoint. */
  readonly url: string;
  /** Stops moto (its whole process group). */
  close(): Promise<void>;
}

/** How to start moto: the Python that has moto, as `python -m moto.server`; or why it cannot be started. */
export async function findMoto(): Promise<{ command: string; args: string[] } | { reason: string }> {
  const python = await findTool("python3 with boto3 and moto");
  return "path" in python ? { command: python.path, args: ["-m", "moto.server"] } : python;
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
