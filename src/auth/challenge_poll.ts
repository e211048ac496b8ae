/**
 * Polling ConsoleMe's challenge poller until the user approves the login in the browser. ConsoleMe's own
 * answers (`pending`, `success`, `expired`, `unauthorized`) end or continue the wait; an HTTP error, an
 * answer weep cannot read or an unreachable poller is retried briefly, then ends the login with the status
 * and ConsoleMe's message instead of being waited out in silence.
 *
 * @module
 */

import { interruption, WeepError } from "../errors.ts";
import { type HttpResponse, parseJson, send } from "../consoleme/http.ts";
import { sleep } from "../platform/sleep.ts";
import type { ChallengeDeps } from "./challenge.ts";
import type { Session } from "./session.ts";

/** How long weep waits for the user to approve a login (ConsoleMe's challenge lives 2 minutes). */
export const MAX_WAIT_MS = 120_000;
/** How many failed polls in a row are retried before the login ends. */
const POLL_RETRIES = 2;

/** Polls `pollingUrl` until the login is approved (the new session), refused, expired, or failing. */
export async function poll(deps: ChallengeDeps, pollingUrl: string, user: string): Promise<Session> {
  const pollMs = deps.pollMs ?? 3000;
  const maxWaitMs = deps.maxWaitMs ?? MAX_WAIT_MS;
  const started = Date.now();
  const spinner = "|/-\\";
  let tick = 0;
  let delay = Math.min(1000, pollMs);
  let failures = 0;
  try {
    while (Date.now() - started < maxWaitMs) {
      await sleep(delay, deps.http.signal);
      delay = pollMs;
      let body: Record<string, unknown>;
      try {
        body = await pollOnce(deps, pollingUrl);
        if (body.status === "unknown") throw unknownChallenge();
        failures = 0;
      } catch (error) {
        if (deps.http.signal?.aborted) throw interruption(deps.http.signal);
        if (++failures > POLL_RETRIES) throw error;
        // A short retry: a single bad answer from a load balancer should not cost the login.
        delay = Math.min(1000, pollMs);
        continue;
      }
      const status = body.status;
      if (status === "success") {
        const session = toSession(body, deps.baseUrl, user);
        deps.output.redact(session.encoded_jwt);
        deps.output.info(`Logged in to ConsoleMe as ${session.user}`);
        return session;
      }
      if (status === "expired") {
        throw new WeepError("The ConsoleMe login request expired before it was approved", {
          hints: ["Run the command again and approve the login page within 2 minutes"],
          failure: "transient",
        });
      }
      if (status === "unauthorized") {
        throw new WeepError(
          "ConsoleMe refused the login: this machine's IP differs from the one that started it",
          {
            hints: [
              "A proxy or VPN may change your address between requests; check HTTPS_PROXY and NO_PROXY",
            ],
            failure: "transient",
          },
        );
      }
      if (deps.output.interactive) {
        const left = Math.max(0, Math.ceil((maxWaitMs - (Date.now() - started)) / 1000));
        const clock = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
        deps.output.note(`\r${spinner[tick++ % 4]} Waiting for approval in the browser (${clock} left) `);
      }
    }
  } finally {
    if (deps.output.interactive) deps.output.note("\r\x1b[K");
  }
  throw new WeepError(`The ConsoleMe login was not approved within ${Math.round(maxWaitMs / 1000)} s`, {
    hints: ["Run the command again and approve the login page in your browser"],
    failure: "transient",
  });
}

/** One poll: ConsoleMe's answer as an object, or a transient error saying what the poller did instead. */
async function pollOnce(deps: ChallengeDeps, pollingUrl: string): Promise<Record<string, unknown>> {
  // A success holds the login's JWT: the body is never shown in a message.
  const response = await send("GET", pollingUrl, { secret: true }, deps.http);
  if (response.status < 200 || response.status >= 300) throw pollerError(response);
  const body = parseJson(response, deps.baseUrl);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new WeepError(
      `ConsoleMe's login poller at "${deps.baseUrl}" sent an answer weep does not understand`,
      {
        hints: ["Try again later; if it persists, ConsoleMe's operators should look at its challenge poller"],
        failure: "transient",
      },
    );
  }
  return body as Record<string, unknown>;
}

/**
 * The error for a poller that answered an HTTP error: the status and ConsoleMe's own message (`message` or
 * `title` of a JSON body), never the raw body.
 */
function pollerError(response: HttpResponse): WeepError {
  let said = "";
  try {
    const body = JSON.parse(response.text);
    const text = body?.message ?? body?.title;
    if (typeof text === "string") said = text.replace(/\s+/g, " ").trim().slice(0, 200);
  } catch {
    // Not JSON: the status alone says it.
  }
  return new WeepError(
    `ConsoleMe's login poller answered HTTP ${response.status}${said ? `: ${said}` : ""}`,
    {
      hints: ["ConsoleMe is failing; try again later, and tell its operators if it persists"],
      failure: "transient",
    },
  );
}

function unknownChallenge(): WeepError {
  return new WeepError('ConsoleMe no longer knows this login request (the poller says "unknown")', {
    hints: ["ConsoleMe may have restarted or lost its login state; run the command again to log in anew"],
    failure: "transient",
  });
}

function toSession(body: Record<string, unknown>, baseUrl: string, user: string): Session {
  const { cookie_name, encoded_jwt, expiration } = body;
  if (typeof encoded_jwt !== "string" || typeof expiration !== "number") {
    throw new WeepError(`ConsoleMe at "${baseUrl}" answered the login poll without a session`, {
      failure: "transient",
    });
  }
  return {
    cookie_name: typeof cookie_name === "string" && cookie_name ? cookie_name : "consoleme_auth",
    encoded_jwt,
    expiration,
    user: typeof body.user === "string" && body.user ? body.user : user,
    consoleme_url: baseUrl,
  };
}
