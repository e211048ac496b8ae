/**
 * Challenge login (`authentication_method: challenge`): ask ConsoleMe for a challenge, open it in the browser
 * (or print it when there is none), poll until the user approves, store the session. Single-flight across
 * processes: while one weep logs in, the others wait on the login lock and then reuse its session.
 *
 * @module
 */

import { WeepError } from "../errors.ts";
import type { RequestAuth } from "../consoleme/client.ts";
import { type HttpDeps, parseJson, send, trimBody } from "../consoleme/http.ts";
import { lockFile } from "../platform/files.ts";
import type { Output } from "../platform/output.ts";
import { sleep } from "../platform/sleep.ts";
import {
  discardSession,
  findSession,
  isUsable,
  latestSession,
  listSessions,
  loginLockPath,
  type Session,
  type SessionStore,
  writeSession,
} from "./session.ts";

/** What the challenge login needs. */
export interface ChallengeDeps {
  baseUrl: string;
  http: HttpDeps;
  /** `challenge_settings.user` (may be empty). */
  configuredUser: string;
  /** Where sessions are stored; logins to one ConsoleMe take turns under its lock in `locksDir`. */
  sessions: SessionStore;
  output: Output;
  /** Opens a URL in a browser; resolves false when it could not. */
  open: (url: string) => Promise<boolean>;
  now: () => Date;
  /** Poll interval (3 s) and how long to wait for approval (2 minutes). */
  pollMs?: number;
  maxWaitMs?: number;
  /** Whether a login may be started (default true); `info` and `doctor` only use an existing session. */
  interactive?: boolean;
}

/** Request authentication backed by a challenge login session. */
export function challengeAuth(deps: ChallengeDeps): RequestAuth {
  let session: Session | undefined;
  const cookieOf = (s: Session) => ({ name: s.cookie_name, value: s.encoded_jwt });

  const usable = (s: Session | undefined): boolean =>
    s !== undefined && isUsable(s, deps.baseUrl, deps.now(), deps.configuredUser);

  const stored = () => findSession(deps.sessions, deps.baseUrl, deps.configuredUser);

  async function current(): Promise<Session> {
    if (session && usable(session)) return session;
    const found = await stored();
    if (found && usable(found)) return (session = found);
    return (session = await loginOnce(found?.user));
  }

  async function loginOnce(storedUser: string | undefined, rejectedJwt?: string): Promise<Session> {
    if (deps.interactive === false) {
      throw new WeepError("Not logged in to ConsoleMe (or the login has expired)", {
        hints: ["Run any command that talks to ConsoleMe, such as `weep list`, to log in"],
      });
    }
    await using _lock = await lockFile(await loginLockPath(deps.sessions.locksDir, deps.baseUrl));
    // Another process may have logged in while we waited for the lock.
    const found = await stored();
    if (found && usable(found) && found.encoded_jwt !== rejectedJwt) return found;
    // Without a user of its own, this ConsoleMe is asked for the user of the last login anywhere.
    const anyUser = async () =>
      latestSession((await listSessions(deps.sessions)).map((s) => s.session))?.user;
    const fresh = await login(
      deps,
      deps.configuredUser || storedUser || found?.user || await anyUser() || "",
    );
    await writeSession(deps.sessions, fresh);
    return fresh;
  }

  return {
    async cookie() {
      const s = await current();
      deps.output.redact(s.encoded_jwt);
      return cookieOf(s);
    },
    async renew() {
      if (deps.interactive === false) return false;
      const rejected = session;
      if (rejected) await discardSession(deps.sessions, rejected);
      deps.output.warn("ConsoleMe no longer accepts the stored login; logging in again");
      session = await loginOnce(rejected?.user, rejected?.encoded_jwt);
      return true;
    },
  };
}

/** Runs one challenge login for `user` and returns the new session. */
export async function login(deps: ChallengeDeps, user: string): Promise<Session> {
  if (!user) {
    throw new WeepError("No ConsoleMe user is set for challenge login", {
      hints: [
        "Set it in ~/.aws/weep/weep.yaml:",
        "  challenge_settings:",
        "    user: you@example.com",
        "or set the environment variable WEEP_CHALLENGE_SETTINGS_USER=you@example.com",
      ],
    });
  }
  const safeUser = user.replace(/[/?#%\s]/g, (c) => encodeURIComponent(c));
  const generatorUrl = `${deps.baseUrl}/noauth/v1/challenge_generator/${safeUser}`;
  const response = await send("GET", generatorUrl, {}, deps.http);
  const generated = parseJson(response, deps.baseUrl) as Record<string, unknown> | null;
  const challengeUrl = generated?.challenge_url;
  const pollingUrl = generated?.polling_url;
  const ok = response.status >= 200 && response.status < 300;
  if (!ok || typeof challengeUrl !== "string" || typeof pollingUrl !== "string") {
    throw new WeepError(
      `ConsoleMe at "${deps.baseUrl}" did not start a challenge login${
        ok ? "" : ` (HTTP ${response.status})`
      }`,
      {
        hints: [
          `Response: ${trimBody(response.text)}`,
          "Check that challenge_url.enabled is on in ConsoleMe, or use authentication_method: mtls",
        ],
      },
    );
  }
  if (await deps.open(challengeUrl)) {
    deps.output.info(`Opened the ConsoleMe login page in your browser: ${challengeUrl}`);
  } else {
    deps.output.warn(`Log in to ConsoleMe: open this URL in a browser and approve: ${challengeUrl}`);
  }
  return await poll(deps, pollingUrl, user);
}

async function poll(deps: ChallengeDeps, pollingUrl: string, user: string): Promise<Session> {
  const pollMs = deps.pollMs ?? 3000;
  const maxWaitMs = deps.maxWaitMs ?? 120_000;
  const started = Date.now();
  const spinner = "|/-\\";
  let tick = 0;
  let delay = Math.min(1000, pollMs);
  try {
    while (Date.now() - started < maxWaitMs) {
      await sleep(delay, deps.http.signal);
      delay = pollMs;
      const body = parseJson(await send("GET", pollingUrl, {}, deps.http), deps.baseUrl) as Record<
        string,
        unknown
      >;
      const status = body?.status;
      if (status === "success") {
        const session = toSession(body, deps.baseUrl, user);
        deps.output.redact(session.encoded_jwt);
        deps.output.info(`Logged in to ConsoleMe as ${session.user}`);
        return session;
      }
      if (status === "expired") {
        throw new WeepError("The ConsoleMe login request expired before it was approved", {
          hints: ["Run the command again and approve the login page within 2 minutes"],
        });
      }
      if (status === "unauthorized") {
        throw new WeepError(
          "ConsoleMe refused the login: this machine's IP differs from the one that started it",
          {
            hints: [
              "A proxy or VPN may change your address between requests; check HTTPS_PROXY and NO_PROXY",
            ],
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
  });
}

function toSession(body: Record<string, unknown>, baseUrl: string, user: string): Session {
  const { cookie_name, encoded_jwt, expiration } = body;
  if (typeof encoded_jwt !== "string" || typeof expiration !== "number") {
    throw new WeepError(`ConsoleMe at "${baseUrl}" answered the login poll without a session`);
  }
  return {
    cookie_name: typeof cookie_name === "string" && cookie_name ? cookie_name : "consoleme_auth",
    encoded_jwt,
    expiration,
    user: typeof body.user === "string" && body.user ? body.user : user,
    consoleme_url: baseUrl,
  };
}
