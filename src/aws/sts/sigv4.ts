/**
 * AWS Signature Version 4 for requests weep sends itself (STS), with WebCrypto and no SDK. Pure given the
 * time: the same request, credentials and instant always give the same headers.
 *
 * @module
 */

import { hex, sha256Hex } from "../../platform/hash.ts";
import { percentEncode } from "../../text/percent.ts";

/** What signing needs from a set of credentials; long-term keys have no session token. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Sent and signed as `X-Amz-Security-Token` when present and not empty. */
  sessionToken?: string | undefined;
}

/** The request to sign. */
export interface SigningRequest {
  /** HTTP method, e.g. `POST`. */
  method: string;
  /** The full URL, query included. */
  url: string | URL;
  /** Headers to send and sign (names in any case). `Host` is taken from the URL unless given. */
  headers?: Record<string, string>;
  /** The body; hashed into the signature. */
  body?: string | Uint8Array;
}

/** Where the signature is valid. */
export interface SigningScope {
  /** Region, e.g. `us-east-1`. */
  region: string;
  /** Signing name of the service, e.g. `sts`. */
  service: string;
}

/** The result of {@linkcode signRequest}. */
export interface SignedRequest {
  /**
   * Headers to send: the request's own plus `X-Amz-Date`, `X-Amz-Security-Token` (with a session token) and
   * `Authorization`. `Host` is signed but not included unless the request gave it; HTTP clients add it.
   */
  headers: Record<string, string>;
  /** The canonical request that was signed (for debugging; contains no secret except a session token). */
  canonicalRequest: string;
  /** The string to sign. */
  stringToSign: string;
  /** The hex signature. */
  signature: string;
}

const ALGORITHM = "AWS4-HMAC-SHA256";
const encoder = new TextEncoder();

/** Formats an instant as SigV4's `X-Amz-Date`: `20150830T123600Z`. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * The canonical URI of a URL path as AWS services other than S3 expect it: dot segments and repeated slashes
 * removed, then each character outside the unreserved set and `/` encoded again (so `%20` becomes `%2520`).
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = path.endsWith("/") && segments.length > 0 ? "/" : "";
  return "/" + segments.map((segment) => percentEncode(segment)).join("/") + trailing;
}

/** The canonical query string: each name and value decoded, strictly re-encoded, sorted by name then value. */
export function canonicalQuery(search: string): string {
  const query = search.startsWith("?") ? search.slice(1) : search;
  if (query === "") return "";
  const pairs = query.split("&").filter((pair) => pair !== "").map((pair) => {
    const index = pair.indexOf("=");
    const name = index < 0 ? pair : pair.slice(0, index);
    const value = index < 0 ? "" : pair.slice(index + 1);
    return [percentEncode(decode(name)), percentEncode(decode(value))] as const;
  });
  pairs.sort(([an, av], [bn, bv]) => compare(an, bn) || compare(av, bv));
  return pairs.map(([name, value]) => `${name}=${value}`).join("&");
}

/**
 * Canonical headers and the signed-header list: names lowercased and sorted, values trimmed with runs of
 * whitespace collapsed, values of names that differ only in case joined with commas.
 */
export function canonicalHeaders(headers: Record<string, string>): { canonical: string; signed: string } {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    const values = grouped.get(key) ?? [];
    values.push(value.trim().split(/\s+/).join(" "));
    grouped.set(key, values);
  }
  const names = [...grouped.keys()].sort(compare);
  return {
    canonical: names.map((name) => `${name}:${grouped.get(name)?.join(",")}\n`).join(""),
    signed: names.join(";"),
  };
}

/** The SigV4 signing key for a day, region and service (HMAC chain from `AWS4` + secret key). */
export async function signingKey(
  secretAccessKey: string,
  day: string,
  scope: SigningScope,
): Promise<Uint8Array> {
  let key: Uint8Array = encoder.encode(`AWS4${secretAccessKey}`);
  for (const part of [day, scope.region, scope.service, "aws4_request"]) key = await hmac(key, part);
  return key;
}

/**
 * Signs `request` with SigV4 at instant `now` (header signing, like botocore's `SigV4Auth`): returns the headers
 * to send, with `Authorization`, `X-Amz-Date` and, for temporary credentials, `X-Amz-Security-Token`.
 */
export async function signRequest(
  request: SigningRequest,
  credentials: SigningCredentials,
  scope: SigningScope,
  now: Date,
): Promise<SignedRequest> {
  const url = typeof request.url === "string" ? new URL(request.url) : request.url;
  const timestamp = amzDate(now);
  const day = timestamp.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!/^(authorization|x-amz-date|x-amz-security-token)$/i.test(name)) headers[name] = value;
  }
  headers["X-Amz-Date"] = timestamp;
  if (credentials.sessionToken) headers["X-Amz-Security-Token"] = credentials.sessionToken;
  const toSign = { ...headers };
  if (!Object.keys(toSign).some((name) => name.toLowerCase() === "host")) toSign["host"] = url.host;
  const { canonical, signed } = canonicalHeaders(toSign);
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    canonical,
    signed,
    await sha256Hex(request.body ?? ""),
  ].join("\n");
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, timestamp, credentialScope, await sha256Hex(canonicalRequest)].join("\n");
  const key = await signingKey(credentials.secretAccessKey, day, scope);
  const signature = hex(await hmac(key, stringToSign));
  headers["Authorization"] =
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signed}, Signature=${signature}`;
  return { headers, canonicalRequest, stringToSign, signature };
}

async function hmac(key: Uint8Array, data: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    key as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(data)));
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
