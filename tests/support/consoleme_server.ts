/**
 * A ConsoleMe-compatible test server on `127.0.0.1` port 0, faithful to the quirks a weep client meets:
 * ujson `\/` escapes, integer `Expiration`, 903 with HTTP 200, problem+json for a missing cookie but
 * `invalid_jwt` for a bad one, and the single-page app's HTML catch-all. Credentials come from moto's STS when
 * given, else are minted locally; every minted key and JWT is registered in `TEST_SECRETS`.
 *
 * ```ts
 * await using cm = await startConsoleMe({ autoApprove: true });
 * ```
 *
 * @module
 */

import { TEST_SECRETS } from "./cli.ts";
import type { ApiState, MintRecord } from "./consoleme_api.ts";
import { APPROVED_MESSAGE, ChallengeStore } from "./consoleme_challenge.ts";
import { localMinter, motoMinter } from "./consoleme_credentials.ts";
import { type FaultKind, type FaultOptions, FaultQueue } from "./consoleme_faults.ts";
import { startTcpFront } from "./consoleme_front.ts";
import { newJwtKey, signJwt } from "./consoleme_jwt.ts";
import {
  DEFAULT_ACCOUNTS,
  DEFAULT_APPS,
  defaultRoles,
  normalizeRoles,
  type RoleInput,
  type TestRole,
} from "./consoleme_roles.ts";
import { type RecordedRequest, routeRequest, type RouterState } from "./consoleme_routes.ts";
import type {
  ApprovalResult,
  ConsoleMeServer,
  ConsoleMeServerOptions,
  ConsoleMeSettings,
  IssuedJwt,
} from "./consoleme_types.ts";

export type { MintRecord, RecordedRequest, RoleInput, TestRole };
export type { FaultKind, FaultOptions };
export type {
  ApprovalResult,
  ConsoleMeServer,
  ConsoleMeServerOptions,
  ConsoleMeSettings,
  IssuedJwt,
  PendingChallenge,
} from "./consoleme_types.ts";
export {
  CLI_ONLY_ROLE_ARN,
  DEFAULT_ACCOUNTS,
  defaultRoles,
  PATH_ROLE_ARN,
  SEED_ROLE_ARNS,
  syntheticAccounts,
  syntheticRoles,
  UNKNOWN_ACCOUNT_ROLE_ARN,
} from "./consoleme_roles.ts";

/** The header the test server's "browser" side trusts for the logged-in user (ConsoleMe header auth). */
export const BROWSER_USER_HEADER = "X-ConsoleMe-User";

/** Starts a test ConsoleMe on `127.0.0.1` port 0. */
export async function startConsoleMe(options: ConsoleMeServerOptions = {}): Promise<ConsoleMeServer> {
  const nowMs = options.clock ?? Date.now;
  const startedAt = Math.floor(nowMs() / 1000);
  const settings: ConsoleMeSettings = {
    auth: options.auth ?? "jwt",
    cookieName: options.cookieName ?? "consoleme_auth",
    user: options.user ?? "user@example.com",
    groups: options.groups ?? ["consoleme_users"],
    jwtMinutes: options.jwtMinutes ?? 60,
    challengeTtlSeconds: options.challengeTtlSeconds ?? 120,
    autoApprove: options.autoApprove ?? false,
    sessionDuration: options.sessionDuration ?? 3600,
    expireIn: options.expireIn,
    expirationFormat: options.expirationFormat ?? "integer",
    mfa: options.mfa ?? "deny",
    acceptMetadata: options.acceptMetadata ?? false,
    includeRoleArn: options.includeRoleArn ?? false,
  };
  const api: ApiState = {
    settings,
    roles: normalizeRoles(options.roles ?? defaultRoles()),
    accounts: { ...(options.accounts ?? DEFAULT_ACCOUNTS) },
    apps: DEFAULT_APPS,
    minter: options.sts ? motoMinter(options.sts.replace(/\/+$/, "")) : localMinter,
    minted: [],
    nowMs,
  };
  const challenges = new ChallengeStore(() => Math.floor(nowMs() / 1000), () => settings.challengeTtlSeconds);
  let key = await newJwtKey();
  const waiters: ((token: string) => void)[] = [];
  const closing = Promise.withResolvers<void>();
  const router: RouterState = {
    api,
    settings,
    challenges,
    faults: new FaultQueue(),
    resources: new Map(),
    requests: [],
    browserUserHeader: BROWSER_USER_HEADER,
    url: "",
    closing: closing.promise,
    key: () => key,
    issue: (user) => issue(user, settings.jwtMinutes * 60),
    onGenerated(token, user) {
      const auto = settings.autoApprove;
      if (auto !== false) approveEntry(token, auto === true ? user : auto);
      waiters.shift()?.(token);
    },
    front: undefined,
  };

  async function issue(user: string, lifetimeSeconds: number): Promise<IssuedJwt> {
    const expiration = Math.floor(nowMs() / 1000 + lifetimeSeconds);
    // ConsoleMe freezes nbf/iat at the server's start (a Python default-argument quirk).
    const jwt = await signJwt(key, {
      nbf: startedAt,
      iat: startedAt,
      exp: expiration,
      email: user,
      groups: settings.groups,
    });
    TEST_SECRETS.add(jwt);
    return { cookieName: settings.cookieName, jwt, expiration, user };
  }

  function approveEntry(token: string, user: string): ApprovalResult {
    const entry = challenges.get(token);
    if (!entry) return { token, approved: false, message: `No challenge "${token}"` };
    const view = challenges.view(token, user, entry.ip);
    const answer = view.nonce === undefined ? view : challenges.approve(token, user, entry.ip, view.nonce);
    return { token, approved: answer.message === APPROVED_MESSAGE, message: answer.message };
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request, info) => routeRequest(router, request, info),
  );
  const front = startTcpFront(server.addr.port);
  router.front = front;
  const url = `http://127.0.0.1:${front.port}`;
  router.url = url;

  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      closing.resolve();
      await front.close();
      await server.shutdown();
    })();

  return {
    url,
    settings,
    get requests() {
      return router.requests;
    },
    get minted() {
      return api.minted;
    },
    get connections() {
      return front.accepted;
    },
    count: (path, method) =>
      router.requests.filter((r) => r.path === path && (method === undefined || r.method === method)).length,
    clearRequests() {
      router.requests.length = 0;
      api.minted.length = 0;
    },
    roles: () => api.roles.map((role) => ({ ...role })),
    setRoles(roles) {
      api.roles = normalizeRoles(roles);
    },
    setAccounts(accounts) {
      api.accounts = { ...accounts };
    },
    addResource(arn, accountId) {
      router.resources.set(arn, accountId ?? "");
    },
    fault: (kind, faultOptions) => router.faults.add(kind, faultOptions),
    clearFaults: () => router.faults.clear(),
    issueJwt: (user, lifetimeSeconds) =>
      issue(user ?? settings.user, lifetimeSeconds ?? settings.jwtMinutes * 60),
    async rotateSecret() {
      key = await newJwtKey();
    },
    approve(token, user) {
      const entry = token === undefined ? challenges.pending().at(-1) : challenges.get(token);
      if (!entry) {
        throw new Error(token === undefined ? "No pending challenge to approve" : `No challenge "${token}"`);
      }
      const result = approveEntry(entry.token, user ?? entry.user);
      if (!result.approved) throw new Error(`Challenge approval refused: ${result.message}`);
    },
    approveWhenRequested(user) {
      return new Promise((resolve) => {
        waiters.push((token) => {
          const entry = challenges.get(token);
          resolve(approveEntry(token, user ?? entry?.user ?? settings.user));
        });
      });
    },
    pendingChallenges: () =>
      challenges.pending().map((entry) => ({
        token: entry.token,
        user: entry.user,
        challengeUrl: `${url}/challenge_validator/${entry.token}`,
        pollingUrl: `${url}/noauth/v1/challenge_poller/${entry.token}`,
        expiresAt: entry.ttl,
      })),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Approves a challenge the way a logged-in browser does: GET `/api/v2/challenge_validator/<token>` for the
 * nonce, then POST it back. `challengeUrl` is the generator's `challenge_url`; `user` the browser's login.
 */
export async function approveInBrowser(
  challengeUrl: string,
  user: string,
  fetcher: typeof fetch = fetch,
): Promise<ApprovalResult> {
  const page = new URL(challengeUrl);
  const token = page.pathname.split("/").at(-1) ?? "";
  const api = `${page.origin}/api/v2/challenge_validator/${token}`;
  const headers = { [BROWSER_USER_HEADER]: user, "content-type": "application/json" };
  const view = await (await fetcher(api, { headers })).json();
  if (typeof view?.nonce !== "string") return { token, approved: false, message: String(view?.message) };
  const response = await fetcher(api, {
    method: "POST",
    headers,
    body: JSON.stringify({ nonce: view.nonce }),
  });
  const answer = await response.json();
  return { token, approved: answer?.message === APPROVED_MESSAGE, message: String(answer?.message) };
}
