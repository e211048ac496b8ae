/**
 * Faults the test ConsoleMe injects on demand: broken transports (500, HTML, garbage JSON, slow or hung,
 * dropped connection, a body cut off or without end), a hostile or broken answer (any body; the real answer
 * cut off inside its secret), ConsoleMe's error codes, and credentials whose `Expiration` is wrong, each for a
 * number of requests to an endpoint.
 *
 * @module
 */

import { pythonJson, requestId, textResponse, tornadoJson } from "./consoleme_json.ts";

/**
 * Faults of the transport: answered before authentication (`cut` answers as usual, then cuts the body short
 * inside its first secret; `body` answers `status` with `body` as given).
 */
export type TransportFault =
  | "500"
  | "html"
  | "garbage"
  | "slow"
  | "drop"
  | "truncated"
  | "endless"
  | "cut"
  | "body";
/** ConsoleMe's error codes (`903` comes with HTTP 200), answered once the caller is authenticated. */
export type CodeFault = "899" | "900" | "901" | "902" | "903" | "904" | "905" | "906" | "invalid_jwt";
/**
 * Credentials minted as usual but with a wrong `Expiration` (`get_credentials` only): an hour in the past, or
 * `1e20` seconds.
 */
export type ExpiryFault = "past_expiry" | "absurd_expiry";
/** Every fault kind. */
export type FaultKind = TransportFault | CodeFault | ExpiryFault;

/** When and how a fault applies. */
export interface FaultOptions {
  /** How many matching requests get the fault (default 1; `Infinity` for all). */
  times?: number;
  /**
   * Which requests: an exact path, a prefix ending in `*`, or `*` for all (default
   * `/api/v1/get_credentials`).
   */
  endpoint?: string;
  /** `slow`: answer normally after this many milliseconds; without it, never answer. */
  ms?: number;
  /** `902`/`905`: the message (for 905 the custom part, default "Please refresh your certificate."). */
  message?: string;
  /** `902`/`905`: the `exception` text. */
  exception?: string;
  /** `body`: the status to answer (default 200). */
  status?: number;
  /** `body`: the body to answer, as text (`application/json` unless it starts with `<`). */
  body?: string;
}

/** An armed fault. */
export interface ArmedFault extends FaultOptions {
  kind: FaultKind;
  remaining: number;
  endpoint: string;
}

const TRANSPORT = new Set<FaultKind>([
  "500",
  "html",
  "garbage",
  "slow",
  "drop",
  "truncated",
  "endless",
  "cut",
  "body",
]);

/** True for faults answered before authentication. */
export function isTransportFault(kind: FaultKind): kind is TransportFault {
  return TRANSPORT.has(kind);
}

function endpointMatches(endpoint: string, path: string): boolean {
  if (endpoint === "*") return true;
  return endpoint.endsWith("*") ? path.startsWith(endpoint.slice(0, -1)) : path === endpoint;
}

/** A queue of armed faults; the oldest matching one is used first. */
export class FaultQueue {
  #faults: ArmedFault[] = [];

  /** Arms `kind` for the next `times` matching requests. */
  add(kind: FaultKind, options: FaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!(times > 0)) throw new Error(`Cannot arm fault "${kind}": times must be positive, got ${times}`);
    this.#faults.push({
      ...options,
      kind,
      remaining: times,
      endpoint: options.endpoint ?? "/api/v1/get_credentials",
    });
  }

  /** Takes (uses up one time of) the first armed fault of the given family that matches `path`. */
  take(path: string, transport: boolean): ArmedFault | undefined {
    const fault = this.#faults.find((f) =>
      isTransportFault(f.kind) === transport && endpointMatches(f.endpoint, path)
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults = this.#faults.filter((f) => f !== fault);
    return { ...fault };
  }

  /** Disarms everything. */
  clear(): void {
    this.#faults = [];
  }

  /** How many faults are still armed. */
  get size(): number {
    return this.#faults.length;
  }
}

/** The body of the `500` fault: Tornado's problem+json for an unhandled exception. */
export function internalError(): Response {
  return textResponse(
    500,
    pythonJson({ status: 500, title: "Internal Server Error", message: "Internal Server Error" }),
    "application/problem+json",
  );
}

/** The `html` fault: a proxy or SPA page with status 200. */
export function htmlPage(): Response {
  return textResponse(
    200,
    "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>",
    "text/html; charset=UTF-8",
  );
}

/** The `garbage` fault: truncated JSON with `Content-Type: application/json` and status 200. */
export function garbageJson(): Response {
  return textResponse(200, '{"Credentials": {"AccessKeyId": "ASIA', "application/json");
}

/**
 * The `truncated` fault: `Content-Length: 400` but only the start of a credentials body; the server then
 * drops the connection (the router does), so the client sees the body end early.
 */
export function truncatedBody(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"Credentials": {"AccessKeyId": "ASIA'));
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json", "content-length": "400" },
  });
}

/** The `body` fault: `fault.status` (200) with `fault.body` as it is. */
export function givenBody(fault: ArmedFault): Response {
  const body = fault.body ?? "";
  return textResponse(fault.status ?? 200, body, /^\s*</.test(body) ? "text/html" : "application/json");
}

/** Fields whose values are secrets in ConsoleMe's answers. */
const SECRET_FIELDS = /"(SessionToken|SecretAccessKey|encoded_jwt)": ?"/;

/**
 * The `cut` fault: `answer` with its body cut off 24 characters into its first secret (a session token, a
 * secret key, a JWT), or halfway when it has none, as a complete answer with the same status: what a broken
 * proxy or a server that died mid-write leaves.
 */
export async function cutInsideSecret(answer: Response): Promise<Response> {
  const text = await answer.text();
  const secret = SECRET_FIELDS.exec(text);
  const at = secret ? secret.index + secret[0].length + 24 : Math.floor(text.length / 2);
  return textResponse(answer.status, text.slice(0, at), answer.headers.get("content-type") ?? "");
}

/** The `endless` fault: a JSON body that never ends (64 KiB chunks for as long as the client reads). */
export function endlessBody(): Response {
  const chunk = new TextEncoder().encode(" ".repeat(65536));
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!started) controller.enqueue(new TextEncoder().encode('{"Credentials": {"pad": "'));
      started = true;
      controller.enqueue(chunk);
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}

/** The `Expiration` an expiry fault puts into credentials minted at `nowSeconds`. */
export function faultyExpiration(fault: ArmedFault, nowSeconds: number): number {
  return fault.kind === "past_expiry" ? nowSeconds - 3600 : 1e20;
}

/** Whether `fault` is an expiry fault (answered with minted credentials, not an error code). */
export function isExpiryFault(fault: ArmedFault | undefined): fault is ArmedFault & { kind: ExpiryFault } {
  return fault?.kind === "past_expiry" || fault?.kind === "absurd_expiry";
}

/** The `invalid_jwt` answer (also sent for a cookie that fails verification). */
export function invalidJwt(): Response {
  return tornadoJson(403, {
    code: "invalid_jwt",
    message: "JWT is invalid or has expired.",
    request_id: requestId(),
  });
}

/** What a code fault needs to know about the request. */
export interface CodeContext {
  requestedRole: string;
  /** ARNs the query matched (for 901 and 902). */
  matches: readonly string[];
  /** The caller's eligible role ARNs (for 901 fallbacks and 903). */
  eligible: readonly string[];
}

/** ConsoleMe's body and status for a code fault. */
export function codeResponse(fault: ArmedFault, ctx: CodeContext): Response {
  const base = { requested_role: ctx.requestedRole, request_id: requestId() };
  const role = ctx.matches[0] ?? ctx.requestedRole;
  switch (fault.kind) {
    case "899":
      return tornadoJson(403, {
        code: "899",
        message: "Invalid Role ARN. Applications must pass the full role ARN when requesting credentials",
        ...base,
      });
    case "900":
      return tornadoJson(403, { code: "900", message: "No matching roles", ...base });
    case "901": {
      const matching = ctx.matches.length > 1 ? ctx.matches : ctx.eligible.slice(0, 2);
      return tornadoJson(403, {
        code: "901",
        message: "More than one matching role",
        ...base,
        "matching roles": matching,
      });
    }
    case "902":
      return tornadoJson(403, {
        code: "902",
        message: fault.message ?? "Unable to get credentials.",
        ...base,
        matching_role: role,
        exception: fault.exception ??
          "An error occurred (AccessDenied) when calling the AssumeRole operation: not authorized to assume role",
      });
    case "903":
      return tornadoJson(200, {
        code: "903",
        message: "Requested role not found in eligible roles",
        ...base,
        "eligible roles": ctx.eligible,
      });
    case "904":
      return tornadoJson(400, {
        code: "904",
        message:
          'Invalid JSON sent to the server:\n{\n  "requested_role": [\n    "Not a valid string."\n  ]\n}',
        request_id: base.request_id,
      });
    case "905":
      return tornadoJson(403, {
        code: "905",
        message: `MTLS certificate is too old. ${fault.message ?? "Please refresh your certificate."} ` +
          `Max cert age for ${role} is 360 days.`,
        ...base,
        exception: fault.exception ?? "Certificate is too old",
      });
    case "906":
      return tornadoJson(400, { code: "906", message: "No matching account.", request_id: base.request_id });
    default:
      return invalidJwt();
  }
}
