/**
 * The credential server's guard against web pages and relays: a browser page can make `fetch` requests to
 * localhost, a DNS-rebinding attack can make them look same-origin, and a local proxy or web app can be made to
 * forward a request. Requests that carry a header only browsers or proxies send (`Origin`, `Referer`,
 * `Sec-Fetch-*`, `Forwarded`, `X-Forwarded-*`, `X-Real-IP`, `Via`), a browser user agent, or a `Host` other
 * than a loopback or metadata address are refused.
 *
 * @module
 */

import { textResponse } from "./responses.ts";

/** Headers only browsers and proxies send; their mere presence (even empty) is refused. */
export const BROWSER_HEADERS: readonly string[] = [
  "origin",
  "referer",
  "referrer",
  "forwarded",
  "x-real-ip",
  "via",
];
/** Prefixes of header families only browsers and proxies send. */
export const BROWSER_HEADER_PREFIXES: readonly string[] = ["sec-fetch-", "x-forwarded-"];

/** The first header of `headers` only a browser or a proxy sends, if any. */
export function browserHeader(headers: Headers): string | undefined {
  for (const name of headers.keys()) {
    if (BROWSER_HEADERS.includes(name) || BROWSER_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      return name;
    }
  }
  return undefined;
}

/** The host names a request may be addressed to, with or without a port. */
export const ALLOWED_HOSTS: readonly string[] = ["localhost", "127.0.0.1", "[::1]", "169.254.169.254"];

/**
 * The allowed hosts for a server listening on `address`: {@linkcode ALLOWED_HOSTS}, plus the address itself
 * when it is a specific IP (an IP literal cannot be rebound by DNS).
 */
export function allowedHostsFor(address: string): string[] {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  const hosts = new Set(ALLOWED_HOSTS);
  if (bare !== "0.0.0.0" && bare !== "::" && bare !== "") hosts.add(bare.includes(":") ? `[${bare}]` : bare);
  return [...hosts];
}

/** The host name of a `Host` value without its port: `127.0.0.1:9091` -> `127.0.0.1`, `[::1]:80` -> `[::1]`. */
export function hostWithoutPort(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end < 0 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(":");
  return colon < 0 ? value : value.slice(0, colon);
}

/** A 403 response when `request` looks like it comes from a browser or a foreign host name; else `undefined`. */
export function refuseForeign(request: Request, allowedHosts: readonly string[]): Response | undefined {
  const name = browserHeader(request.headers);
  if (name !== undefined) return forbidden(`requests with a "${name}" header are refused`);
  if ((request.headers.get("user-agent") ?? "").toLowerCase().includes("mozilla")) {
    return forbidden("requests from web browsers are refused");
  }
  const host = request.headers.get("host") ?? new URL(request.url).host;
  if (!allowedHosts.includes(hostWithoutPort(host))) {
    return forbidden(`host "${host}" is not allowed; use http://127.0.0.1`);
  }
  return undefined;
}

function forbidden(reason: string): Response {
  return textResponse(403, `Forbidden: ${reason}`);
}
