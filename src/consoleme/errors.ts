/**
 * ConsoleMe's error answers turned into messages that help: what happened, the server's own words, and what
 * to do next. Parses `{code, message, …}` bodies, problem+json and WebResponse shapes.
 *
 * @module
 */

import { type FailureKind, WeepError } from "../errors.ts";
import { type HttpResponse, shownBody } from "./http.ts";

/**
 * ConsoleMe said the login is no longer valid (`invalid_jwt`, or a 403 although a cookie was sent). Transient:
 * a new login fixes it, and credentials already fetched stay valid meanwhile.
 */
export class AuthRejectedError extends WeepError {
  /** Creates the error. */
  constructor(message = "ConsoleMe rejected the login session") {
    super(message, { hints: ["Log in again: weep will open the challenge page"], failure: "transient" });
    this.name = "AuthRejectedError";
  }
}

/** What a request was about, for messages. */
export interface ErrorContext {
  /** The role or search string that was asked for. */
  role?: string | undefined;
  /** Whether weep sent the optional `metadata` field. */
  sentMetadata?: boolean;
  /** `mtls_settings.old_cert_message`. */
  oldCertMessage?: string;
  /** Whether a session cookie was sent. */
  sentCookie?: boolean;
}

type Body = Record<string, unknown>;

const text = (
  value: unknown,
) => (typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value));

/** Whether a parsed body and status mean "your login is not valid" (invalid_jwt, or a 403 with a cookie sent). */
export function isAuthRejection(status: number, body: unknown, sentCookie: boolean): boolean {
  if (isBody(body) && body.code === "invalid_jwt") return true;
  return sentCookie && status === 403 && isBody(body) && body.code === undefined &&
    body.title === "Forbidden";
}

/** Builds the error for a ConsoleMe answer that is not a success. */
export function brokerError(response: HttpResponse, body: unknown, context: ErrorContext = {}): WeepError {
  const role = context.role === undefined ? "" : ` "${context.role}"`;
  const forRole = role ? ` for${role}` : "";
  if (!isBody(body)) return unexpected(response);
  const code = text(body.code);
  const message = text(body.message);
  const hints: string[] = [];
  const requestId = text(body.request_id);
  const withId = (error: WeepError) => {
    if (requestId) error.hints.push(`ConsoleMe request id: ${requestId}`);
    return error;
  };
  // The 90x codes are ConsoleMe's answer about this role or user: cached credentials for it must go.
  const refusal = "refusal" as const;
  switch (code) {
    case "899":
      return withId(
        new WeepError(`ConsoleMe refused the role ARN${role}: ${message || "invalid ARN"}`, {
          hints: ["Pass the full role ARN, e.g. arn:aws:iam::123456789012:role/name"],
          failure: refusal,
        }),
      );
    case "900":
      return withId(
        new WeepError(
          role ? `No role you may use matches${role}` : "No role you may use matches the request",
          {
            hints: ["Run `weep list` to see the roles you can use, then pass one of their ARNs"],
            failure: refusal,
          },
        ),
      );
    case "901": {
      const matches = Array.isArray(body["matching roles"])
        ? (body["matching roles"] as unknown[]).map(text)
        : [];
      return withId(
        new WeepError(`Found more than one matching role${forRole}`, {
          hints: matches.length
            ? ["Pass one of these role ARNs instead:", ...matches.map((arn) => `  ${arn}`)]
            : ["Pass a full role ARN; `weep list` shows them"],
          failure: refusal,
        }),
      );
    }
    case "902": {
      const reason = [message, text(body.exception)].filter(Boolean).join(": ");
      if (message === "MFA Not Successful") {
        hints.push("--no-ip needs an approved MFA push; try again without -n");
      }
      return withId(
        new WeepError(`ConsoleMe could not get credentials${forRole}: ${reason || "no reason given"}`, {
          hints,
          failure: refusal,
        }),
      );
    }
    case "903":
      return withId(
        new WeepError(`ConsoleMe returned no credentials${forRole}: ${message || "no reason given"}`, {
          hints: ["Run `weep list` to see the roles you can use"],
          failure: refusal,
        }),
      );
    case "904":
      if (context.sentMetadata) {
        hints.push("This server does not accept metadata: set feature_flags.consoleme_metadata to false");
      }
      return withId(
        new WeepError(`ConsoleMe rejected weep's request: ${message || "malformed request"}`, {
          hints,
          failure: refusal,
        }),
      );
    case "905":
      return withId(
        new WeepError(message || "ConsoleMe says the mTLS certificate is too old", {
          hints: [context.oldCertMessage ?? "Refresh your mTLS certificate"],
          failure: refusal,
        }),
      );
    case "906":
      return withId(new WeepError(`ConsoleMe found no matching account: ${message}`, { failure: refusal }));
    case "invalid_jwt":
      return new AuthRejectedError(`ConsoleMe rejected the login session: ${message || "JWT is invalid"}`);
  }
  const failure = statusFailure(response.status);
  if (Array.isArray(body.errors) && body.errors.length) {
    return new WeepError(`ConsoleMe answered HTTP ${response.status}: ${body.errors.map(text).join("; ")}`, {
      failure,
    });
  }
  if (message || body.title) {
    const auth = response.status === 403 && !context.sentCookie
      ? ["Log in again, or check authentication_method"]
      : [];
    return withId(
      new WeepError(`ConsoleMe answered HTTP ${response.status}: ${message || text(body.title)}`, {
        hints: auth,
        failure,
      }),
    );
  }
  return unexpected(response);
}

/**
 * What an HTTP error status without a ConsoleMe code means: a server error, a throttle, a timeout or a login
 * problem (401/403) may pass; any other client error will not.
 */
export function statusFailure(status: number): FailureKind {
  return status >= 500 || [401, 403, 408, 429].includes(status) ? "transient" : "final";
}

/** A body weep cannot read as ConsoleMe's answer: garbled, so possibly transient. */
function unexpected(response: HttpResponse): WeepError {
  const shown = shownBody(response);
  return new WeepError(`ConsoleMe answered with an unexpected response (HTTP ${response.status})`, {
    hints: shown ? [`Response: ${shown}`] : [],
    failure: "transient",
  });
}

function isBody(value: unknown): value is Body {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
