/**
 * A TLS-terminating proxy that requires a client certificate signed by one CA, in front of a plain-HTTP test
 * ConsoleMe, as a real deployment puts one in front of ConsoleMe (it never sees TLS itself). It runs
 * `mtls_proxy.py` with python3 and adds the client certificate's subject CN as `X-Mtls-Client-Cn`.
 *
 * ```ts
 * await using proxy = await startMtlsProxy({ upstream: cm.url, ca, cert, key });
 * // proxy.url is https://127.0.0.1:<port>
 * ```
 *
 * @module
 */

import { fileUrlToPath } from "../../scripts/compile_plan.ts";
import { toolPath } from "./tools.ts";

/** What the proxy did: a request it forwarded, or a handshake it refused. */
export type ProxyEvent =
  | { event: "forwarded"; method: string; path: string; cn: string; status: number }
  | { event: "tls_error"; error: string };

/** A running proxy. */
export interface MtlsProxy extends AsyncDisposable {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** Everything it did so far, in order. */
  readonly events: readonly ProxyEvent[];
  /** Stops the proxy and waits for it to exit. */
  close(): Promise<void>;
}

/** Options of {@linkcode startMtlsProxy}; files are PEM. */
export interface MtlsProxyOptions {
  /** Plain-HTTP base URL requests are forwarded to (the test ConsoleMe). */
  upstream: string;
  /** The CA that must sign client certificates. */
  ca: string;
  /** The server certificate (for `127.0.0.1`). */
  cert: string;
  /** The server key. */
  key: string;
}

const SCRIPT = fileUrlToPath(new URL("./mtls_proxy.py", import.meta.url));

/** Starts the proxy on `127.0.0.1` port 0 with the "python3" tool (check it first); resolves once it listens. */
export async function startMtlsProxy(options: MtlsProxyOptions): Promise<MtlsProxy> {
  const python = await toolPath("python3");
  if (!python) throw new Error("python3 with ssl and http.server is missing");
  const child = new Deno.Command(python, {
    args: [
      "-u",
      SCRIPT,
      "--upstream",
      options.upstream,
      "--ca",
      options.ca,
      "--cert",
      options.cert,
      "--key",
      options.key,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const events: ProxyEvent[] = [];
  const port = Promise.withResolvers<number | undefined>();
  const decoder = new TextDecoder();
  const stdout = (async () => {
    let buffer = "";
    for await (const chunk of child.stdout) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (/^\d+$/.test(line)) port.resolve(Number(line));
        else if (line.trim()) events.push(JSON.parse(line) as ProxyEvent);
      }
    }
  })().finally(() => port.resolve(undefined));
  const stderr = new Response(child.stderr).text();

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already exited.
      }
      await child.status;
      await stdout.catch(() => {});
      await stderr;
    })();

  // A safety net: a proxy that never reports its port must not hang the suite.
  const timer = setTimeout(() => port.resolve(undefined), 15_000);
  const chosen = await port.promise;
  clearTimeout(timer);
  if (chosen === undefined) {
    await close();
    throw new Error(`The mTLS proxy did not start:\n${await stderr}`);
  }
  return {
    url: `https://127.0.0.1:${chosen}`,
    events,
    close,
    [Symbol.asyncDispose]: close,
  };
}
