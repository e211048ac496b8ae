/**
 * The STS query-API transport: form-encoded POST, SigV4-signed, with a timeout, and the XML answer turned into
 * a result element or a {@linkcode WeepError} (STS error codes, unreachable endpoints, unexpected answers).
 *
 * @module
 */

import { outsideText } from "../../platform/outside_text.ts";
import { REDACTED, redactSecrets } from "../../platform/redact.ts";
import { type SigningCredentials, signRequest } from "./sigv4.ts";
import { percentEncode } from "../../text/percent.ts";
import { defaultStsEndpoint } from "./sts_endpoint.ts";
import { stsErrorHints, unreachable } from "./sts_errors.ts";
import { findElement, parseXml, textAt, type XmlElement } from "./xml.ts";
import { errorText, type FailureKind, InterruptedError, WeepError } from "../../errors.ts";
import { BodyTooLargeError, formatBytes, readTextCapped } from "../../platform/http_body.ts";

/** The HTTP client STS calls go through (`fetch` fits). */
export type FetchFn = (input: string | URL, init: RequestInit) => Promise<Response>;

/** What every STS call needs from the outside world. */
export interface StsDeps {
  fetch: FetchFn;
  /** The clock used to sign requests. */
  now: () => Date;
  /** Aborts the call (Ctrl-C); the call then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Gives up on a call after this many milliseconds (default {@linkcode DEFAULT_STS_TIMEOUT_MS}). */
  timeoutMs?: number | undefined;
  /** Receives debug lines and warnings (never secrets). */
  log?: StsLog | undefined;
}

/** A log callback: `(message, level) => output.log(level, message)`; a one-argument logger also fits. */
export type StsLog = (message: string, level: "debug" | "warn") => void;

/** Where an STS call goes. */
export interface StsTarget {
  /** Signing region; also picks the default endpoint. */
  region: string;
  /** Endpoint URL; default `https://sts.<region>.amazonaws.com`. */
  endpoint?: string | undefined;
}

/** How long one STS call may take by default. */
export const DEFAULT_STS_TIMEOUT_MS = 15_000;
/** The most weep reads of one STS answer (they are a few KiB). */
export const STS_BODY_LIMIT = 1 << 20;
/** STS error codes that trying again later may cure. */
const PASSING = new Set(["Throttling", "ThrottlingException", "RequestLimitExceeded", "ServiceUnavailable"]);

const VERSION = "2011-06-15";
const FORM = "application/x-www-form-urlencoded; charset=utf-8";

/** Form-encodes query-API parameters the way SigV4 and STS expect (RFC 3986, `%20` for spaces). */
export function formEncode(params: Record<string, string>): string {
  return Object.entries(params).map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join(
    "&",
  );
}

/**
 * Calls STS `action` with `params`, signed with `credentials`; returns the `<ActionResult>` element. `failure`
 * starts every error message (`Cannot assume role "..."`).
 */
export async function callSts(
  action: string,
  params: Record<string, string>,
  credentials: SigningCredentials,
  target: StsTarget,
  deps: StsDeps,
  failure: string,
): Promise<XmlElement> {
  const endpoint = target.endpoint ?? defaultStsEndpoint(target.region);
  const body = formEncode({ Action: action, Version: VERSION, ...params });
  const signed = await signRequest(
    { method: "POST", url: endpoint, headers: { "Content-Type": FORM }, body },
    credentials,
    { region: target.region, service: "sts" },
    deps.now(),
  );
  deps.log?.(`STS ${action} at ${endpoint}`, "debug");
  const timeoutMs = deps.timeoutMs ?? DEFAULT_STS_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const signal = deps.signal ? AbortSignal.any([deps.signal, controller.signal]) : controller.signal;
  let status: number;
  let text: string;
  try {
    const response = await deps.fetch(endpoint, { method: "POST", headers: signed.headers, body, signal });
    status = response.status;
    text = await readTextCapped(response, STS_BODY_LIMIT);
  } catch (error) {
    if (deps.signal?.aborted) {
      throw deps.signal.reason instanceof Error ? deps.signal.reason : new InterruptedError();
    }
    if (error instanceof BodyTooLargeError) {
      throw new WeepError(
        `${failure}: STS at "${endpoint}" answered with more than ${formatBytes(error.limit)}`,
        {
          hints: ["Check that AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL, if set, point to STS"],
          failure: "transient",
        },
      );
    }
    throw unreachable(failure, endpoint, controller.signal.aborted ? { timeoutMs } : { error });
  } finally {
    clearTimeout(timer);
  }
  let document: XmlElement | undefined;
  try {
    document = parseXml(text);
  } catch (error) {
    document = undefined;
    if (status < 300) throw malformed(failure, target, error);
  }
  if (status >= 300 || document?.name === "ErrorResponse") {
    // A misconfigured endpoint may echo the request back; keep the token and key out of what is shown.
    const clean = (text: string) => scrub(text, credentials);
    const code = textAt(document, "Error", "Code");
    // A server error or a throttle may pass; STS's other answers (AccessDenied, ...) will not.
    const kind: FailureKind = status >= 500 || PASSING.has(code ?? "") ? "transient" : "final";
    if (!code) {
      // AssumeRole answers with credentials: its body is never shown, even to --log-level debug.
      const shown = action === "AssumeRole" ? "" : `: ${clean(text)}`;
      throw new WeepError(`${failure}: STS at "${endpoint}" answered HTTP ${status}`, {
        hints: ["Check that AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL, if set, point to STS"],
        cause: new Error(`HTTP ${status}${shown}`),
        failure: kind,
      });
    }
    const message = clean(textAt(document, "Error", "Message") ?? "");
    throw new WeepError(`${failure}: ${clean(code)}${message ? `: ${message}` : ""}`, {
      hints: stsErrorHints(action, code),
      failure: kind,
    });
  }
  const result = findElement(document, `${action}Result`);
  if (document?.name !== `${action}Response` || !result) throw malformed(failure, target);
  return result;
}

/** An error for an answer that is not the expected document. */
export function malformed(failure: string, target: StsTarget, cause?: unknown): WeepError {
  const endpoint = target.endpoint ?? defaultStsEndpoint(target.region);
  return new WeepError(`${failure}: unexpected answer from STS at "${endpoint}"`, {
    hints: ["Check that AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL, if set, point to STS"],
    ...(cause === undefined ? {} : { cause: new Error(errorText(cause)) }),
  });
}

/**
 * Keeps server text printable and on one line (`outsideText`), short enough for an error line, and free of
 * the caller's secrets and of anything else that looks like one (`redactSecrets`).
 */
function scrub(text: string, credentials: SigningCredentials): string {
  let line = text;
  for (const secret of [credentials.sessionToken, credentials.secretAccessKey]) {
    if (secret) line = line.replaceAll(secret, REDACTED);
  }
  line = outsideText(redactSecrets(line)).replace(/ {2,}/g, " ").trim();
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}
