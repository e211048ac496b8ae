/**
 * One HTTP exchange with ConsoleMe: timeout, User-Agent, cookie, and failures turned into messages that say
 * what went wrong and what to check. Bodies are read as text; callers decide what they mean. A message never
 * shows the body of an answer that may hold a secret (credentials, a login) nor of a success; other bodies are
 * shown only as a short excerpt with anything like a key, token, JWT or cookie removed.
 *
 * @module
 */

import { interruption, WeepError } from "../errors.ts";
import { BodyTooLargeError, formatBytes, readTextCapped, readTextPieces } from "../platform/http_body.ts";
import { bodyExcerpt } from "../platform/redact.ts";
import { MAX_NESTING, nestedTooDeep } from "./answer_check.ts";

/** The most weep reads of one answer: credentials, logins and links are a few KiB at most. */
export const BODY_LIMIT = 1 << 20;
/** The most weep reads of a role list or search answer: generous for an account with 100,000 roles. */
export const LIST_BODY_LIMIT = 256 << 20;

const HTML_TYPE = /text\/html/i;

/** What every request needs. */
export interface HttpDeps {
  /** The fetch to use (the mTLS client is passed through `client`). */
  fetch: typeof fetch;
  /** Abandon a request after this long. */
  timeoutMs: number;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal | undefined;
  /** `weep/<version> (Deno)`. */
  userAgent: string;
  /** A Deno HTTP client carrying the mTLS certificate. */
  client?: Deno.HttpClient | undefined;
}

/** A response body with its status. */
export interface HttpResponse {
  status: number;
  contentType: string;
  /** The body's text; empty when a {@linkcode BodyReader} read it as it arrived (then see `json`). */
  text: string;
  /** What the request's {@linkcode BodyReader} made of the body, when it took it. */
  json?: unknown;
  /** The endpoint's answers may hold a secret (credentials, a login): its body is never shown. */
  secret?: boolean;
}

/**
 * Reads a successful answer as it arrives instead of keeping its text whole: a role list of 100,000 roles is
 * tens of MiB, and its parsed tree more.
 */
export interface BodyReader {
  /** The next piece of the body's text. */
  write(text: string): void;
  /**
   * The body ended: its value as the reader reads it; or, for a body that is not for it, the text it kept, to be
   * read as any other answer (a reader that found broken JSON keeps none: that text is no JSON either).
   */
  end(): { json: unknown } | { text: string };
}

/** What a request sends, and the most it reads back (default {@linkcode BODY_LIMIT}). */
export interface RequestInitText {
  body?: string;
  headers?: Record<string, string>;
  maxBytes?: number;
  /** The answer may hold a secret (credentials, a login session): no message ever shows its body. */
  secret?: boolean;
  /** Reads a successful (2xx), non-HTML answer as it arrives; any other is read as text. */
  reader?: () => BodyReader;
}

/**
 * Sends one request and reads the answer, within `deps.timeoutMs` and `init.maxBytes`. Network failures, the
 * timeout and an answer over the limit become transient {@linkcode WeepError}s that name the URL.
 */
export async function send(
  method: "GET" | "POST",
  url: string,
  init: RequestInitText,
  deps: HttpDeps,
): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(deps.timeoutMs);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  const requestInit: RequestInit & { client?: Deno.HttpClient } = {
    method,
    headers: { "User-Agent": deps.userAgent, "Content-Type": "application/json", ...init.headers },
    signal,
  };
  if (init.body !== undefined) requestInit.body = init.body;
  if (deps.client) requestInit.client = deps.client;
  const maxBytes = init.maxBytes ?? BODY_LIMIT;
  try {
    const response = await deps.fetch(url, requestInit);
    const { status } = response;
    const contentType = response.headers.get("content-type") ?? "";
    const secret = init.secret ?? false;
    if (init.reader !== undefined && status >= 200 && status < 300 && !HTML_TYPE.test(contentType)) {
      const reader = init.reader();
      await readTextPieces(response, maxBytes, (piece) => reader.write(piece));
      const read = reader.end();
      return "json" in read
        ? { status, contentType, text: "", json: read.json, secret }
        : { status, contentType, text: read.text, secret };
    }
    return { status, contentType, text: await readTextCapped(response, maxBytes), secret };
  } catch (error) {
    if (deps.signal?.aborted) throw interruption(deps.signal);
    if (error instanceof BodyTooLargeError) {
      throw new WeepError(
        `ConsoleMe at "${originOf(url)}" answered ${method} ${pathOf(url)} with more than weep's limit of ` +
          formatBytes(maxBytes),
        {
          hints: [
            "A proxy between weep and ConsoleMe may be misbehaving: check HTTPS_PROXY and consoleme_url",
          ],
          failure: "transient",
        },
      );
    }
    throw networkError(error, url, timeout.aborted, deps.timeoutMs);
  }
}

/** ConsoleMe could not be reached (refused, DNS, TLS, timeout, dropped): says nothing about the request itself. */
export class NetworkError extends WeepError {
  /** Creates the error. */
  constructor(message: string, options: { hints: string[]; cause: unknown }) {
    super(message, { ...options, failure: "transient" });
    this.name = "NetworkError";
  }
}

/** Describes a failed request: connection refused, DNS failure, TLS failure, timeout, or other. */
export function networkError(
  error: unknown,
  url: string,
  timedOut: boolean,
  timeoutMs: number,
): NetworkError {
  const origin = originOf(url);
  const check = "check consoleme_url in ~/.aws/weep/weep.yaml and your network";
  if (timedOut || (error instanceof DOMException && error.name === "TimeoutError")) {
    return new NetworkError(`ConsoleMe at "${origin}" did not answer within ${timeoutMs / 1000} s`, {
      hints: ["Try again; if it persists, " + check + " (server.http_timeout sets the limit)"],
      cause: error,
    });
  }
  const reason = failureReason(error);
  const hints = [check.charAt(0).toUpperCase() + check.slice(1)];
  if (/TLS/.test(reason)) hints.push("For mTLS, check mtls_settings (certificates, key and catrust)");
  return new NetworkError(`Cannot reach ConsoleMe at "${origin}": ${reason}`, { hints, cause: error });
}

/**
 * Why a request failed, in words (`connection refused`, `the host name does not resolve`, a TLS failure …),
 * from the error `fetch` threw; never the error's own text, which names addresses and URLs.
 */
export function failureReason(error: unknown): string {
  const detail = [error instanceof Error ? error.message : String(error), causeText(error)].join(" ");
  const kinds: [RegExp, string][] = [
    [/connection refused|os error 111|ECONNREFUSED/i, "connection refused"],
    [
      /dns error|lookup address|Name or service not known|nodename nor servname|No such host/i,
      "the host name does not resolve",
    ],
    [
      /fatal alert|UnknownCA|BadCertificate|CertificateRequired|CertificateUnknown|AccessDenied/i,
      "the server refused the TLS handshake (for mTLS: it did not accept the client certificate)",
    ],
    [/certificate|tls|ssl|handshake|corrupt message|UnknownIssuer/i, "TLS failed (certificate or protocol)"],
    [
      /error reading a body|error decoding response body/i,
      "the connection broke off in the middle of the answer",
    ],
    [
      /connection reset|connection closed|IncompleteMessage|broken pipe|unexpected end/i,
      "the connection was closed without an answer",
    ],
    [/blocked/i, "the port is blocked"],
  ];
  return kinds.find(([pattern]) => pattern.test(detail))?.[1] ?? "the request failed";
}

function causeText(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause);
}

/** The path of a URL without its query, for messages. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** `scheme://host[:port]` of a URL, for messages. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Whether a response body is an HTML page (a wrong URL reaches ConsoleMe's single-page app). */
export function isHtml(response: HttpResponse): boolean {
  return HTML_TYPE.test(response.contentType) || /^\s*</.test(response.text);
}

/** Texts up to this long are parsed without a look at their nesting (at most a few MiB, however deep). */
const DEEP_SCAN_BYTES = 64 * 1024;

/** Parses a JSON body; HTML and garbage become transient errors naming the ConsoleMe URL. */
export function parseJson(response: HttpResponse, baseUrl: string): unknown {
  if (isHtml(response)) {
    throw new WeepError(`ConsoleMe at "${baseUrl}" answered with HTML, not JSON: check consoleme_url`, {
      hints: [`HTTP status ${response.status}; the URL should be the ConsoleMe base URL, without a path`],
      failure: "transient",
    });
  }
  // Only a long text can nest deep enough to cost much: a short one is not scanned.
  if (response.text.length > DEEP_SCAN_BYTES && nestedTooDeep(response.text)) {
    throw new WeepError(
      `ConsoleMe at "${baseUrl}" sent a response nested more than ${MAX_NESTING} levels deep (HTTP ${response.status})`,
      { hints: ["weep does not read it: check consoleme_url, or try again later"], failure: "transient" },
    );
  }
  try {
    return JSON.parse(response.text);
  } catch {
    const shown = shownBody(response);
    throw new WeepError(
      `ConsoleMe at "${baseUrl}" sent a response that is not valid JSON (HTTP ${response.status})`,
      {
        hints: [...(shown ? [`It began with: ${shown}`] : []), "Check consoleme_url, or try again later"],
        failure: "transient",
      },
    );
  }
}

/**
 * What a message may show of `response`'s body: for an error answer (not 2xx) of an endpoint whose answers
 * hold no secret, a short excerpt with secrets removed (`bodyExcerpt`); otherwise nothing. A success that
 * cannot be read may be a credentials body cut off, and is never shown.
 */
export function shownBody(response: HttpResponse): string | undefined {
  if (response.secret || (response.status >= 200 && response.status < 300)) return undefined;
  return bodyExcerpt(response.text);
}
