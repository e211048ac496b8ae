/**
 * Which URLs weep opens in a browser or polls: only ConsoleMe's own. Whoever can answer for ConsoleMe (a wrong
 * proxy, a hostile network in front of a plain-http ConsoleMe) must not make the desktop open `file:`, `smb:`
 * or `javascript:` URIs, another host, or an argument the opener would read as an option. Pure.
 *
 * @module
 */

import { WeepError } from "../errors.ts";

/** Whose URLs may be opened. */
export interface UrlTrust {
  /** ConsoleMe's base URLs (`consoleme_url`, and `consoleme_open_url_override` for links): their hosts. */
  baseUrls: readonly string[];
  /** `trusted_origins`: further `scheme://host[:port]` origins the configuration allows. */
  extraOrigins: readonly string[];
}

/**
 * Why `url` may not be opened or polled, or `undefined` when it may: it must be an absolute `https:` URL (or
 * `http:` when the base URL it matches is `http:`) on the host of one of `trust.baseUrls`, or on one of
 * `trust.extraOrigins` exactly.
 */
export function untrustedReason(url: string, trust: UrlTrust): string | undefined {
  let parsed: URL;
  try {
    if (url.startsWith("-")) throw new TypeError("an option, not a URL");
    parsed = new URL(url);
  } catch {
    return `"${url.slice(0, 80)}" is not an absolute URL`;
  }
  for (const base of trust.baseUrls) {
    const own = parseOrNull(base);
    if (!own || own.host !== parsed.host) continue;
    if (parsed.protocol === "https:" || (parsed.protocol === "http:" && own.protocol === "http:")) {
      return undefined;
    }
  }
  if (trust.extraOrigins.some((origin) => parseOrNull(origin)?.origin === parsed.origin)) return undefined;
  const host = parsed.host || "(none)";
  const own = trust.baseUrls.map((base) => parseOrNull(base)?.origin).filter(Boolean).join(", ");
  return `scheme "${parsed.protocol}" and host "${host}" are not ConsoleMe's (${own || "no consoleme_url"})`;
}

/**
 * Returns `url` when it may be opened or polled; otherwise throws a transient {@linkcode WeepError} naming
 * `what` (`the challenge_url`), the scheme and the host, and how to allow another origin.
 */
export function requireTrustedUrl(url: string, trust: UrlTrust, what: string): string {
  const reason = untrustedReason(url, trust);
  if (reason === undefined) return url;
  throw new WeepError(`Refusing ${what} ConsoleMe sent: ${reason}`, {
    hints: [
      "weep opens and polls only https URLs on ConsoleMe's own host (http too when consoleme_url is http)",
      "Something between weep and ConsoleMe (a proxy, the network) may be answering for it; check consoleme_url",
      "If ConsoleMe really uses another host, add its origin to trusted_origins in ~/.aws/weep/weep.yaml",
    ],
    failure: "transient",
  });
}

function parseOrNull(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
