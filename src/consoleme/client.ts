/**
 * The ConsoleMe API client: typed requests, validated responses, ConsoleMe's quirks tolerated (`\/` escapes,
 * `903` with HTTP 200, problem+json, HTML from a wrong URL, integer `Expiration`), and one transparent
 * re-login when the server says the session is no longer valid.
 *
 * @module
 */

import { expirationProblem } from "../aws/credentials.ts";
import { WeepError } from "../errors.ts";
import { AuthRejectedError, brokerError, type ErrorContext, isAuthRejection } from "./errors.ts";
import {
  type HttpDeps,
  type HttpResponse,
  LIST_BODY_LIMIT,
  parseJson,
  type RequestInitText,
  send,
} from "./http.ts";
import { type AnswerProblem, checked, resourceUrlOf, typeaheadHitsOf } from "./answer_check.ts";
import { checkCredentialsAnswer } from "./credentials_answer.ts";
import { parseRolesV1 } from "./role_list.ts";
import { roleListReader } from "./role_stream.ts";
import type {
  BrokerCredentials,
  ConsoleMeClient,
  ConsoleMeRole,
  CredentialRequest,
  RoleListOptions,
  TypeaheadResult,
} from "./types.ts";

/** How requests are authenticated: a cookie (challenge) or nothing (mTLS carries the certificate). */
export interface RequestAuth {
  /** The cookie to send, or `undefined` for none. */
  cookie(): Promise<{ name: string; value: string } | undefined>;
  /** Called when ConsoleMe rejects the session; returns true when a fresh login is ready (retry once). */
  renew(): Promise<boolean>;
}

/** Everything the client needs. */
export interface ClientOptions {
  baseUrl: string;
  http: HttpDeps;
  auth: RequestAuth;
  /** Sends `metadata` with credential requests (`feature_flags.consoleme_metadata`). */
  metadata?: Record<string, string | number> | undefined;
  oldCertMessage?: string;
  /** The clock `Expiration` is checked against (default: the system clock). */
  now?: () => Date;
}

/** Creates a ConsoleMe client for `options.baseUrl` (trailing slashes are ignored). */
export function createClient(options: ClientOptions): ConsoleMeClient {
  // "https://cm/" + "/api/..." would give "//api/...", which ConsoleMe answers with HTML.
  const baseUrl = options.baseUrl.replace(/\/+$/, "");

  async function call(
    method: "GET" | "POST",
    path: string,
    body: unknown,
    context: ErrorContext,
    read: Pick<RequestInitText, "maxBytes" | "secret" | "reader"> = {},
  ): Promise<{ response: HttpResponse; json: unknown }> {
    for (let attempt = 0;; attempt++) {
      const cookie = await options.auth.cookie();
      const init: RequestInitText = { ...read };
      if (body !== undefined) init.body = JSON.stringify(body) + "\n";
      if (cookie) init.headers = { Cookie: `${cookie.name}=${cookie.value}` };
      const response = await send(method, baseUrl + path, init, options.http);
      const json = "json" in response ? response.json : parseJson(response, baseUrl);
      const ok = response.status >= 200 && response.status < 300;
      if (!ok && isAuthRejection(response.status, json, cookie !== undefined)) {
        if (attempt === 0 && await options.auth.renew()) continue;
        throw new AuthRejectedError();
      }
      if (!ok) throw brokerError(response, json, { ...context, sentCookie: cookie !== undefined });
      return { response, json };
    }
  }

  // A garbled answer is transient: a cached entry may stand in while ConsoleMe (or a proxy) misbehaves.
  function invalid(what: string, problem: AnswerProblem): WeepError {
    const { where, message } = problem;
    return new WeepError(`ConsoleMe at "${baseUrl}" sent ${what} weep does not understand`, {
      hints: [`Unexpected value${where ? ` at "${where}"` : ""}: ${message}`],
      failure: "transient",
    });
  }

  function checkedExpiration(raw: number | string): Date {
    const date = typeof raw === "number" ? new Date(raw * 1000) : new Date(raw);
    const problem = expirationProblem(date, (options.now ?? (() => new Date()))());
    if (problem === undefined) return date;
    throw new WeepError(
      `ConsoleMe at "${baseUrl}" sent credentials whose Expiration ${JSON.stringify(raw)} ${problem}`,
      {
        hints: [
          "The fault is ConsoleMe's (or a proxy's); if the time is only a little off, check this computer's clock",
        ],
        failure: "transient",
      },
    );
  }

  return {
    baseUrl,
    async getCredentials(request: CredentialRequest): Promise<BrokerCredentials> {
      const body: Record<string, unknown> = {
        requested_role: request.role,
        no_ip_restrictions: request.noIp,
      };
      if (options.metadata) {
        body.metadata = request.method
          ? { ...options.metadata, weep_method: request.method }
          : options.metadata;
      }
      const context: ErrorContext = { role: request.role, sentMetadata: options.metadata !== undefined };
      if (options.oldCertMessage !== undefined) context.oldCertMessage = options.oldCertMessage;
      const { response, json } = await call("POST", "/api/v1/get_credentials", body, context, {
        secret: true,
      });
      const hasCredentials = typeof json === "object" && json !== null && "Credentials" in json &&
        (json as { Credentials: unknown }).Credentials !== null &&
        (json as { Credentials: unknown }).Credentials !== undefined;
      // 903 arrives with HTTP 200: success is decided by the body, not the status.
      if (!hasCredentials) throw brokerError(response, json, context);
      const c = checkCredentialsAnswer(json);
      if ("where" in c) throw invalid("credentials", c);
      const result: BrokerCredentials = {
        credentials: {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: checkedExpiration(c.Expiration),
        },
      };
      if (c.RoleArn) {
        result.roleArn = c.RoleArn;
        result.credentials.roleArn = c.RoleArn;
      }
      return result;
    },

    async getRoles(options: RoleListOptions = {}): Promise<ConsoleMeRole[]> {
      // Read as it arrives: for 100,000 roles, the text and the parsed tree are never kept whole.
      const { json } = await call("GET", "/api/v2/get_roles?all=true", undefined, {}, {
        maxBytes: LIST_BODY_LIMIT,
        reader: () => roleListReader(options),
      });
      // A successful answer is what the reader made of it (call throws on any other).
      const roles = json as ConsoleMeRole[] | AnswerProblem;
      if ("where" in roles) throw invalid("a role list", roles);
      return roles;
    },

    async getRoleArns(): Promise<string[]> {
      const { json } = await call("GET", "/api/v1/get_roles?all=true", undefined, {}, {
        maxBytes: LIST_BODY_LIMIT,
      });
      const arns = parseRolesV1(json);
      if ("where" in arns) throw invalid("a role list", arns);
      return arns;
    },

    async getResourceUrl(arn: string): Promise<string> {
      const { json } = await call(
        "GET",
        `/api/v2/get_resource_url?${new URLSearchParams({ arn })}`,
        undefined,
        {},
      );
      const url = checked(json, resourceUrlOf);
      if (typeof url !== "string") throw invalid("a resource URL", url);
      return url;
    },

    async typeahead(resource: "account" | "iam_arn", search: string): Promise<TypeaheadResult[]> {
      const limit = resource === "account" ? "1000" : "5000";
      const query = new URLSearchParams([["limit", limit], ["resource", resource], ["search", search]]);
      const { json } = await call(
        "GET",
        `/api/v1/policies/typeahead?${query}`,
        undefined,
        {},
        { maxBytes: LIST_BODY_LIMIT },
      );
      const hits = checked(json, typeaheadHitsOf);
      if ("where" in hits) throw invalid("search results", hits);
      return hits;
    },
  };
}
