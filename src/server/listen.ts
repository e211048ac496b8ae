/**
 * The listener at the edge: binds a handler to an address and port with `Deno.serve`, turns bind failures
 * into messages for the user, and stops gracefully when the signal aborts.
 *
 * @module
 */

import { WeepError } from "../errors.ts";

/** Where to listen. */
export interface ListenOptions {
  /** An IP literal (`127.0.0.1`, `::1`, `[::1]`, `0.0.0.0`) or `localhost`. */
  address: string;
  /** 0 picks a free port. */
  port: number;
  /** Stops the server (in-flight requests finish first). */
  signal: AbortSignal;
  /** Called for a request whose handler threw (the client gets a 500). */
  onError?: (error: unknown) => void;
}

/** A running server. */
export interface Listener {
  /** The address as given, without brackets. */
  hostname: string;
  /** The real port (useful with port 0). */
  port: number;
  /** `http://<address>:<port>` as bound, IPv6 in brackets. */
  url: string;
  /** The URL clients on this computer use: like `url`, with a wildcard address replaced by its loopback. */
  clientUrl: string;
  /** Resolves once the server has stopped. */
  finished: Promise<void>;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * The host name to bind for a listen address: an IPv4 or IPv6 literal (brackets optional) or `localhost`;
 * throws a {@linkcode WeepError} for anything else.
 */
export function parseListenAddress(address: string): string {
  const bare = address.trim().replace(/^\[(.*)\]$/, "$1");
  if (bare === "localhost" || IPV4.test(bare) || isIpv6(bare)) return bare;
  throw new WeepError(
    `Invalid listen address "${address}": expected an IP address such as 127.0.0.1 or ::1`,
    {
      hints: ["Pass -a/--listen-address or set server.address in ~/.aws/weep/weep.yaml"],
    },
  );
}

function isIpv6(text: string): boolean {
  if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return false;
  return URL.canParse(`http://[${text}]/`);
}

/** `hostname` as it goes into a URL: IPv6 in brackets. */
export function urlHost(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

/** The host clients on this computer connect to: a wildcard address becomes its loopback. */
export function clientHost(hostname: string): string {
  if (hostname === "0.0.0.0") return "127.0.0.1";
  if (hostname === "::") return "[::1]";
  return urlHost(hostname);
}

/** Starts serving `handler` on `options.address`:`options.port`. */
export function listen(handler: (request: Request) => Promise<Response>, options: ListenOptions): Listener {
  const hostname = parseListenAddress(options.address);
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname,
      port: options.port,
      signal: options.signal,
      onListen: () => {},
      onError: (error) => {
        options.onError?.(error);
        return new Response("Internal server error\n", {
          status: 500,
          headers: { "content-type": "text/plain" },
        });
      },
    }, handler);
  } catch (error) {
    const where = `${urlHost(hostname)}:${options.port}`;
    if (error instanceof Deno.errors.AddrInUse) {
      throw new WeepError(`Cannot listen on ${where}: the address is already in use`, {
        cause: error,
        hints: ["Stop the other server, or pick another port with -p/--port (0 picks a free one)"],
      });
    }
    if (error instanceof Deno.errors.AddrNotAvailable) {
      throw new WeepError(`Cannot listen on ${where}: this computer has no such address`, {
        cause: error,
        hints: ["Use 127.0.0.1 or ::1, or an address of one of this computer's network interfaces"],
      });
    }
    throw new WeepError(
      `Cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  const port = server.addr.port;
  return {
    hostname,
    port,
    url: `http://${urlHost(hostname)}:${port}`,
    clientUrl: `http://${clientHost(hostname)}:${port}`,
    finished: server.finished,
  };
}
