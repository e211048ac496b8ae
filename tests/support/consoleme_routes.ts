/**
 * Request routing of the test ConsoleMe: the request log, transport faults, the challenge endpoints, cookie
 * authentication of the CLI API and the catch-alls (problem+json 404 under `/api/v2/`, the SPA's HTML
 * elsewhere).
 *
 * @module
 */

import {
  type ApiState,
  credentialsResponse,
  roleLoginResponse,
  rolesV1Response,
  rolesV2Response,
} from "./consoleme_api.ts";
import type { ChallengeStore } from "./consoleme_challenge.ts";
import {
  type ArmedFault,
  codeResponse,
  cutInsideSecret,
  endlessBody,
  type FaultQueue,
  garbageJson,
  givenBody,
  htmlPage,
  internalError,
  invalidJwt,
  truncatedBody,
} from "./consoleme_faults.ts";
import type { TcpFront } from "./consoleme_front.ts";
import { verifyJwt } from "./consoleme_jwt.ts";
import { indexPage, problem, textResponse, tornadoHtml, tornadoJson } from "./consoleme_json.ts";
import {
  resourceUrlResponse,
  SWAG_PREFIX,
  swagAccountResponse,
  typeaheadResponse,
} from "./consoleme_resources.ts";
import { eligibleRoles } from "./consoleme_roles.ts";

/** One request as the server saw it. The cookie value is not kept (it is a secret). */
export interface RecordedRequest {
  method: string;
  /** The path, without the query string. */
  path: string;
  /** The query string without `?` (empty when none). */
  query: string;
  userAgent: string | null;
  contentType: string | null;
  /** Whether the request carried the auth cookie (`settings.cookieName`). */
  cookie: boolean;
  /** The names of every cookie sent. */
  cookieNames: string[];
  body: string;
}

/** What the router reads and writes; built by `startConsoleMe`. */
export interface RouterState {
  api: ApiState;
  settings: {
    auth: "jwt" | "none";
    cookieName: string;
    user: string;
  };
  challenges: ChallengeStore;
  faults: FaultQueue;
  resources: Map<string, string>;
  requests: RecordedRequest[];
  browserUserHeader: string;
  url: string;
  closing: Promise<void>;
  key(): CryptoKey;
  issue(user: string): Promise<{ cookieName: string; jwt: string; expiration: number; user: string }>;
  onGenerated(token: string, user: string): void;
  front: TcpFront | undefined;
}

const API_ROUTES: Record<string, string> = {
  "/api/v1/get_credentials": "POST",
  "/api/v1/get_roles": "GET",
  "/api/v2/get_roles": "GET",
  "/api/v2/get_resource_url": "GET",
  "/api/v1/policies/typeahead": "GET",
};

function cookies(header: string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) map.set(part.slice(0, at).trim(), part.slice(at + 1).trim().replace(/^"(.*)"$/, "$1"));
  }
  return map;
}

function decodePathArg(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

async function sleepUnless(ms: number, stop: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, ms))), stop]);
  clearTimeout(timer);
}

/** The user the CLI API sees, or the auth error; `fault` gets the armed code fault, if any. */
async function authenticate(
  state: RouterState,
  request: Request,
  path: string,
): Promise<{ user: string; fault: ArmedFault | undefined } | Response> {
  if (state.settings.auth === "none") {
    return { user: state.settings.user, fault: state.faults.take(path, false) };
  }
  const jwt = cookies(request.headers.get("cookie")).get(state.settings.cookieName);
  // No cookie is Tornado's problem+json 403, not invalid_jwt: clients must handle both.
  if (jwt === undefined) return problem(403);
  const claims = await verifyJwt(state.key(), jwt, Math.floor(state.api.nowMs() / 1000));
  if (!claims || typeof claims.email !== "string") return invalidJwt();
  return { user: claims.email, fault: state.faults.take(path, false) };
}

async function apiResponse(state: RouterState, request: Request, url: URL, body: string): Promise<Response> {
  const path = url.pathname;
  const auth = await authenticate(state, request, path);
  if (auth instanceof Response) return auth;
  const { user, fault } = auth;
  if (fault?.kind === "invalid_jwt") return invalidJwt();
  if (request.method !== API_ROUTES[path]) return problem(405);
  if (path === "/api/v1/get_credentials") return await credentialsResponse(state.api, user, body, fault);
  if (fault) {
    const eligible = eligibleRoles(state.api.roles, user, false).map((role) => role.arn);
    return codeResponse(fault, { requestedRole: "", matches: [], eligible });
  }
  const view = { roles: state.api.roles, accounts: state.api.accounts, resources: state.resources };
  switch (path) {
    case "/api/v1/get_roles":
      return rolesV1Response(state.api, user, url.searchParams);
    case "/api/v2/get_roles":
      return rolesV2Response(state.api, user, url.searchParams);
    case "/api/v2/get_resource_url":
      return resourceUrlResponse(view, url.searchParams.get("arn"));
    default:
      return typeaheadResponse(view, url.searchParams);
  }
}

async function browserUser(state: RouterState, request: Request): Promise<string | undefined> {
  const jwt = cookies(request.headers.get("cookie")).get(state.settings.cookieName);
  if (jwt !== undefined) {
    const claims = await verifyJwt(state.key(), jwt, Math.floor(state.api.nowMs() / 1000));
    if (typeof claims?.email === "string") return claims.email;
  }
  return request.headers.get(state.browserUserHeader) ?? undefined;
}

const NOT_LOGGED_IN = {
  type: "redirect",
  redirect_url: "/login",
  reason: "unauthenticated",
  message: "User is not authenticated. Redirect to authenticate",
};

async function browserResponse(state: RouterState, request: Request, url: URL, ip: string, body: string) {
  const user = await browserUser(state, request);
  if (user === undefined) return tornadoJson(403, NOT_LOGGED_IN);
  const [, , , kind = "", ...rest] = url.pathname.split("/");
  const arg = decodePathArg(rest.join("/"));
  if (kind === "role_login") return roleLoginResponse(state.api, user, arg, url.searchParams);
  if (request.method === "GET") return tornadoJson(200, state.challenges.view(arg, user, ip));
  let nonce: unknown;
  try {
    nonce = JSON.parse(body)?.nonce;
  } catch {
    return problem(400);
  }
  return tornadoJson(200, state.challenges.approve(arg, user, ip, nonce));
}

async function challengeResponse(state: RouterState, request: Request, path: string, ip: string) {
  if (request.method !== "GET") return tornadoHtml(405);
  if (path.startsWith("/noauth/v1/challenge_generator/")) {
    const user = decodePathArg(path.slice("/noauth/v1/challenge_generator/".length));
    const entry = state.challenges.generate(user, ip);
    state.onGenerated(entry.token, user);
    return tornadoJson(200, {
      challenge_url: `${state.url}/challenge_validator/${entry.token}`,
      polling_url: `${state.url}/noauth/v1/challenge_poller/${entry.token}`,
    });
  }
  const token = path.slice("/noauth/v1/challenge_poller/".length);
  // Tornado's route only takes [a-zA-Z0-9_-]+; anything else falls through to the SPA catch-all.
  if (!/^[a-zA-Z0-9_-]+$/.test(token)) return indexPage();
  const answer = state.challenges.poll(token, ip);
  if (answer.status !== "success") return tornadoJson(200, answer);
  const issued = await state.issue(answer.user);
  return tornadoJson(200, {
    status: "success",
    cookie_name: issued.cookieName,
    expiration: issued.expiration,
    encoded_jwt: issued.jwt,
    user: answer.user,
  });
}

/** Answers one request as ConsoleMe would (after recording it and applying any transport fault). */
export async function routeRequest(
  state: RouterState,
  request: Request,
  info: Deno.ServeHandlerInfo<Deno.NetAddr>,
): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname;
  const body = request.body ? await request.text() : "";
  const sent = cookies(request.headers.get("cookie"));
  state.requests.push({
    method: request.method,
    path,
    query: url.search.replace(/^\?/, ""),
    userAgent: request.headers.get("user-agent"),
    contentType: request.headers.get("content-type"),
    cookie: sent.has(state.settings.cookieName),
    cookieNames: [...sent.keys()],
    body,
  });
  const upstreamPort = info.remoteAddr.port;
  const front = state.front;
  const ip = front?.clientAddr(upstreamPort)?.hostname ?? info.remoteAddr.hostname;
  const gone = Promise.race([state.closing, front?.closed(upstreamPort) ?? state.closing]);

  const fault = state.faults.take(path, true);
  if (fault?.kind === "500") return internalError();
  if (fault?.kind === "html") return htmlPage();
  if (fault?.kind === "garbage") return garbageJson();
  if (fault?.kind === "endless") return endlessBody();
  if (fault?.kind === "truncated") {
    // Let the headers and the first bytes through, then cut the connection.
    setTimeout(() => front?.drop(upstreamPort), 50);
    return truncatedBody();
  }
  if (fault?.kind === "drop") front?.drop(upstreamPort);
  if (fault?.kind === "slow" && fault.ms !== undefined) await sleepUnless(fault.ms, gone);
  if (fault?.kind === "drop" || (fault?.kind === "slow" && fault.ms === undefined)) {
    // Never answer: wait until the client gives up or the server stops.
    await gone;
    return new Response(null, { status: 204 });
  }
  if (fault?.kind === "body") return givenBody(fault);
  const answer = await answerRequest(state, request, url, body, ip);
  return fault?.kind === "cut" ? await cutInsideSecret(answer) : answer;
}

/** ConsoleMe's own answer to a request that no transport fault took. */
async function answerRequest(
  state: RouterState,
  request: Request,
  url: URL,
  body: string,
  ip: string,
): Promise<Response> {
  const path = url.pathname;
  // Tornado's routes are anchored: "//api/..." reaches the static handler, which refuses it.
  if (path.startsWith("//")) return tornadoHtml(403);
  if (path === "/healthcheck") return textResponse(200, "OK", "text/html; charset=UTF-8");
  if (path.startsWith("/noauth/v1/challenge_generator/") || path.startsWith("/noauth/v1/challenge_poller/")) {
    return await challengeResponse(state, request, path, ip);
  }
  if (/^\/api\/v2\/(challenge_validator|role_login)\/./.test(path)) {
    return await browserResponse(state, request, url, ip, body);
  }
  if (path in API_ROUTES) return await apiResponse(state, request, url, body);
  if (path.startsWith(SWAG_PREFIX) && request.method === "GET") {
    const view = { roles: state.api.roles, accounts: state.api.accounts, resources: state.resources };
    return swagAccountResponse(view, decodePathArg(path.slice(SWAG_PREFIX.length)));
  }
  if (path.startsWith("/api/v2/")) return problem(404);
  // The single-page app's static handler: index.html for any GET, an HTML 403 (XSRF) for writes.
  return request.method === "GET" || request.method === "HEAD" ? indexPage() : tornadoHtml(403);
}
