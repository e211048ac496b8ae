/**
 * What weep tells the user when STS fails: hints for STS error codes, and errors for an endpoint that cannot
 * be reached. Messages name the endpoint and never carry credentials.
 *
 * @module
 */

import { errorText, WeepError } from "../../errors.ts";

const ENDPOINT_HINT =
  "Check AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL and the region (--region, AWS_REGION, aws.region)";

/** Hint lines for an STS error code answered to `action`. */
export function stsErrorHints(action: string, code: string): string[] {
  switch (code) {
    case "AccessDenied":
      return action === "AssumeRole"
        ? ["Check the role ARN, and that the role's trust policy lets the current identity assume it"]
        : ["Check that the credentials may call STS"];
    case "ExpiredToken":
    case "ExpiredTokenException":
      return ["The credentials used to call STS have expired; get new ones and try again"];
    case "InvalidClientTokenId":
    case "SignatureDoesNotMatch":
    case "UnrecognizedClientException":
    case "IncompleteSignature":
      return [
        "STS did not accept the credentials; check that they are valid for this endpoint and partition",
      ];
    case "RegionDisabledException":
      return ["Activate STS for this region in IAM, or use another region (--region)"];
    case "ValidationError":
      return ["Check the role ARN and the session duration (a chained role session lasts at most 1 hour)"];
    case "Throttling":
    case "ThrottlingException":
    case "RequestLimitExceeded":
      return ["STS is throttling requests; wait a moment and try again"];
    default:
      return ["Run again with --log-level debug for details"];
  }
}

/** What went wrong on the way to STS: a timeout or the error `fetch` threw. */
export type Unreachable = { timeoutMs: number } | { error: unknown };

/** An error for an STS endpoint that did not answer: refused, unknown host, TLS failure, timeout (transient). */
export function unreachable(failure: string, endpoint: string, what: Unreachable): WeepError {
  const prefix = `${failure}: cannot reach STS at "${endpoint}"`;
  if ("timeoutMs" in what) {
    return new WeepError(`${prefix}: no answer within ${seconds(what.timeoutMs)}`, {
      hints: ["Check your network and proxy settings (HTTPS_PROXY, NO_PROXY)", ENDPOINT_HINT],
      failure: "transient",
    });
  }
  const detail = chainText(what.error);
  const [reason, hint] = /connection refused/i.test(detail)
    ? ["connection refused", "Check that the endpoint is right and that STS is running there"]
    : /dns error|lookup address|name or service not known|nodename nor servname|no such host/i.test(detail)
    ? ["host not found", "Check the region and your DNS and proxy settings"]
    : /certificate|tls|ssl|handshake|corrupt message/i.test(detail)
    ? ["TLS handshake failed", "Check the system's trusted certificates (or a proxy intercepting TLS)"]
    : /timed? ?out/i.test(detail)
    ? ["timed out", "Check your network and proxy settings (HTTPS_PROXY, NO_PROXY)"]
    : [lastLine(detail), "Check your network and proxy settings (HTTPS_PROXY, NO_PROXY)"];
  return new WeepError(`${prefix}: ${reason}`, {
    hints: [hint, ENDPOINT_HINT],
    cause: what.error,
    failure: "transient",
  });
}

function chainText(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(errorText(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\n");
}

function lastLine(detail: string): string {
  const line = detail.split("\n").pop() ?? detail;
  return line.replace(/^error sending request for url \([^)]*\): /, "").slice(0, 200);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
