/**
 * A TCP front for a `Deno.serve` server: it accepts the clients' connections and pipes each to its own
 * connection to the HTTP server. `Deno.serve` cannot close a connection without answering; the front can,
 * which gives the test server its `drop` fault. A handler finds its client through `info.remoteAddr.port`,
 * which is the local port of the front's upstream connection.
 *
 * @module
 */

interface Pair {
  client: Deno.TcpConn;
  upstream: Deno.TcpConn;
  closed: PromiseWithResolvers<void>;
}

/** The front's controls. */
export interface TcpFront {
  /** The port clients connect to. */
  readonly port: number;
  /** How many client connections were accepted so far. */
  readonly accepted: number;
  /** The client address behind the upstream connection from `upstreamPort`. */
  clientAddr(upstreamPort: number): Deno.NetAddr | undefined;
  /** Closes the client connection behind `upstreamPort` without a response. */
  drop(upstreamPort: number): void;
  /** Resolves when the client connection behind `upstreamPort` is gone. */
  closed(upstreamPort: number): Promise<void>;
  /** Stops accepting, closes every connection and waits for the pipes to end. */
  close(): Promise<void>;
}

function closeQuietly(conn: { close(): void }): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

/** Starts a front on `127.0.0.1` port 0 that forwards to `127.0.0.1:targetPort`. */
export function startTcpFront(targetPort: number): TcpFront {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const pairs = new Map<number, Pair>();
  const tasks = new Set<Promise<void>>();
  let accepted = 0;

  const shut = (pair: Pair) => {
    closeQuietly(pair.client);
    closeQuietly(pair.upstream);
    pair.closed.resolve();
  };

  const serve = async (client: Deno.TcpConn) => {
    let upstream: Deno.TcpConn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
    } catch {
      closeQuietly(client);
      return;
    }
    const port = upstream.localAddr.port;
    const pair: Pair = { client, upstream, closed: Promise.withResolvers() };
    pairs.set(port, pair);
    // Either side ending ends both: HTTP/1.1 clients and servers do not half-close.
    await Promise.race([
      client.readable.pipeTo(upstream.writable, { preventClose: true }).catch(() => {}),
      upstream.readable.pipeTo(client.writable, { preventClose: true }).catch(() => {}),
      pair.closed.promise,
    ]);
    shut(pair);
    pairs.delete(port);
  };

  const track = (task: Promise<void>) => {
    tasks.add(task);
    task.finally(() => tasks.delete(task));
  };

  track((async () => {
    try {
      for await (const client of listener) {
        accepted += 1;
        track(serve(client));
      }
    } catch {
      // The listener was closed.
    }
  })());

  return {
    port: (listener.addr as Deno.NetAddr).port,
    get accepted() {
      return accepted;
    },
    clientAddr: (upstreamPort) => pairs.get(upstreamPort)?.client.remoteAddr,
    drop(upstreamPort) {
      const pair = pairs.get(upstreamPort);
      if (pair) shut(pair);
    },
    closed: (upstreamPort) => pairs.get(upstreamPort)?.closed.promise ?? Promise.resolve(),
    async close() {
      closeQuietly(listener);
      for (const pair of pairs.values()) shut(pair);
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
  };
}
