/**
 * Challenge login (`authentication_method: challenge`): ask ConsoleMe for a challenge, open it in the browser
 * (or print it when there is none), poll until the user approves, store the session. Single-flight across
 * processes: while one weep logs in, the others wait on the login lock and then reuse its session.
 *
 * @module
 */

import { InterruptedError, WeepError } from "../errors.ts";
import type { RequestAuth } from "../consoleme/client.ts";
import { type HttpDeps, parseJson, send } from "../consoleme/http.ts";
import { requireTrustedUrl, type UrlTrust } from "../consoleme/trusted_url.ts";
import { lockFile } from "../platform/locks.ts";
import type { Output } from "../platform/output.ts";
import { clearFailure, recentFailure, recordFailure } from "../platform/shared_failure.ts";
import { MAX_WAIT_MS, poll } from "./challenge_poll.ts";
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
  /** `trusted_origins`: origins besides ConsoleMe's own that login pages and pollers may be on. */
  trustedOrigins?: readonly string[];
  now: () => Date;
  /** Poll interval (3 s) and how long to wait for approval (2 minutes). */
  pollMs?: number;
  maxWaitMs?: number;
  /** Whether a login may be started (default true); `info` and `doctor` only use an existing session. */
  interactive?: boolean;
  /** How long a failed login is shared with other processes instead of repeated (default 10 s). */
  failureWindowMs?: number;
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
    const lockPath = await loginLockPath(deps.sessions.locksDir, deps.baseUrl);
    const windowMs = deps.failureWindowMs ?? 10_000;
    const user = deps.configuredUser || storedUser || "";
    const scope = `${deps.baseUrl} ${user}`;
    // A login that just failed in another process (ConsoleMe down, not approved) is not started again at once.
    const failed = async () => (await recentFailure(lockPath, scope, deps.now().getTime(), windowMs))?.error;
    const earlier = await failed();
    if (earlier) throw earlier;
    await using _lock = await lockFile(lockPath, {
      doing: "logging in to ConsoleMe",
      needMs: loginBudgetMs(deps),
      overrun: "proceed",
      signal: deps.http.signal,
      log: (level, message) => deps.output.log(level, message),
    });
    // Another process may have logged in, or failed to, while we waited for the lock.
    const found = await stored();
    if (found && usable(found) && found.encoded_jwt !== rejectedJwt) return found;
    const met = await failed();
    if (met) throw met;
    // Without a user of its own, this ConsoleMe is asked for the user of the last login anywhere.
    const anyUser = async () =>
      latestSession((await listSessions(deps.sessions)).map((s) => s.session))?.user;
    let fresh: Session;
    try {
      fresh = await login(deps, deps.configuredUser || storedUser || found?.user || await anyUser() || "");
    } catch (error) {
      if (error instanceof WeepError && !(error instanceof InterruptedError) && !deps.http.signal?.aborted) {
        await recordFailure(lockPath, scope, error, deps.now().getTime());
      }
      throw error;
    }
    await writeSession(deps.sessions, fresh);
    await clearFailure(lockPath);
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

/** How long a login may legitimately hold the login lock: the generator, the wait for approval, the last poll. */
export function loginBudgetMs(deps: Pick<ChallengeDeps, "http" | "maxWaitMs">): number {
  return (deps.maxWaitMs ?? MAX_WAIT_MS) + 2 * deps.http.timeoutMs + 5000;
}

/**
 * Runs one challenge login for `user` and returns the new session. Failures of ConsoleMe and of the login
 * itself (not approved, expired, refused) are transient: credentials already fetched stay usable meanwhile.
 */
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
  // The answer starts a login: like the poller's (which holds the session), it is never shown in a message.
  const response = await send("GET", generatorUrl, { secret: true }, deps.http);
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
        hints: ["Check that challenge_url.enabled is on in ConsoleMe, or use authentication_method: mtls"],
        failure: "transient",
      },
    );
  }
  const trust: UrlTrust = { baseUrls: [deps.baseUrl], extraOrigins: deps.trustedOrigins ?? [] };
  requireTrustedUrl(challengeUrl, trust, "the challenge_url");
  requireTrustedUrl(pollingUrl, trust, "the polling_url");
  if (await deps.open(challengeUrl)) {
    deps.output.info(`Opened the ConsoleMe login page in your browser: ${challengeUrl}`);
  } else {
    deps.output.warn(`Log in to ConsoleMe: open this URL in a browser and approve: ${challengeUrl}`);
  }
  return await poll(deps, pollingUrl, user);
}
