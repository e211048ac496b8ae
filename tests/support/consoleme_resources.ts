/**
 * The resource look-ups of the test ConsoleMe: `GET /api/v2/get_resource_url` (ARN -> UI path, only for
 * resources in the "organization cache") and `GET /api/v1/policies/typeahead`; and, beside them, SWAG's
 * account records (`GET /swag/1/accounts/<id>`).
 *
 * @module
 */

import { problem, ujsonResponse, webResponse } from "./consoleme_json.ts";
import { accountIdOf, type TestRole } from "./consoleme_roles.ts";

/** What `get_resource_url` and typeahead read from the server state. */
export interface ResourceView {
  roles: readonly TestRole[];
  accounts: Readonly<Record<string, string>>;
  /** Extra ARNs in the AWS Config cache -> their account ID (needed for S3 buckets, whose ARN has none). */
  resources: ReadonlyMap<string, string>;
}

function notFound(reasonText: string, error: string): Response {
  return webResponse(404, { status: "error", reason: reasonText, status_code: 404, errors: [error] });
}

/** The UI path ConsoleMe links an ARN to, or an error text when the type is not supported. */
export function uiPathFor(arn: string, account: string): { url: string } | { error: string } {
  const [, , service = "", region = "", , ...rest] = arn.split(":");
  const resource = rest.join(":");
  const last = resource.split("/").at(-1) ?? resource;
  const consoleRedirect = (target: string) => `/role/${account}?redirect=${encodeURIComponent(target)}`;
  if (service === "iam" && resource.startsWith("role/")) {
    return { url: `/policies/edit/${account}/iamrole/${last}` };
  }
  if (service === "iam" && resource.startsWith("user/")) {
    return { url: `/policies/edit/${account}/iamuser/${last}` };
  }
  if (service === "iam" && resource.startsWith("policy/")) {
    return { url: `/policies/edit/${account}/managed_policy/${resource.slice("policy/".length)}` };
  }
  if (service === "s3") return { url: `/policies/edit/${account}/s3/${resource}` };
  if (service === "sqs") return { url: `/policies/edit/${account}/sqs/${region}/${resource}` };
  if (service === "sns") return { url: `/policies/edit/${account}/sns/${region}/${resource}` };
  if (service === "lambda") {
    // The console URL keeps its "#" as %23 inside the redirect parameter.
    const name = resource.replace(/^function:/, "");
    return {
      url: consoleRedirect(`https://console.aws.amazon.com/lambda/home?region=${region}#/functions/${name}`),
    };
  }
  return { error: "This resource type is currently not supported" };
}

/** `GET /api/v2/get_resource_url?arn=...`: the success WebResponse (all fields) or the 404 WebResponse errors. */
export function resourceUrlResponse(view: ResourceView, arn: string | null): Response {
  if (arn === null || arn === "") return notFound("missing_data", "arn is a required parameter");
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return notFound("malformed_data", `Invalid ARN: ${arn}`);
  const known = view.roles.some((role) => role.arn === arn) ? accountIdOf(arn) : view.resources.get(arn);
  if (known === undefined) return notFound("invalid_data", "Resource not found in organization cache");
  const account = known || accountIdOf(arn);
  if (!account) return notFound("invalid_data", "The account for the given ARN could not be determined");
  const path = uiPathFor(arn, account);
  if ("error" in path) return notFound("invalid_data", path.error);
  return webResponse(200, {
    status: "success",
    reason: null,
    redirect_url: null,
    status_code: 200,
    message: "Successfully generated URL for ARN",
    errors: null,
    count: null,
    total: null,
    page: null,
    last_page: null,
    data: { url: path.url },
  });
}

const CACHE_TYPES = new Set(["s3", "sqs", "sns", "app"]);

/** `GET /api/v1/policies/typeahead`: a bare ujson array, or problem+json for bad parameters. */
export function typeaheadResponse(view: ResourceView, params: URLSearchParams): Response {
  const search = params.get("search");
  const resource = params.get("resource");
  if (search === null) return problem(400, "`search` parameter must be defined");
  if (resource === null) return problem(400, "`resource_type` parameter must be defined");
  const limit = Number.parseInt(params.get("limit") ?? "10", 10) || 10;
  const q = search.toLowerCase();
  if (resource === "account") {
    // The limit is ignored for accounts.
    const titles = Object.entries(view.accounts).map(([id, name]) => `${name} (${id})`);
    return ujsonResponse(200, titles.filter((t) => t.toLowerCase().includes(q)).map((title) => ({ title })));
  }
  if (resource === "iam_arn") {
    const results: { title: string }[] = [];
    for (const role of view.roles) {
      if (!role.arn.toLowerCase().includes(q)) continue;
      results.push({ title: role.arn });
      // The server checks the limit after appending, so up to limit + 1 items come back.
      if (results.length > limit) break;
    }
    return ujsonResponse(200, results);
  }
  if (resource === "iam_role") {
    const names = view.roles.map((role) => role.arn.split("role/").slice(1).join("role/"));
    const matching = [...new Set(names.filter((name) => name.toLowerCase().includes(q)))].slice(0, limit);
    return ujsonResponse(200, matching.map((title) => ({ title })));
  }
  if (CACHE_TYPES.has(resource)) return ujsonResponse(200, resource === "app" ? {} : []);
  return problem(404, `Invalid resource_type: ${resource}`);
}

/** Where the test server answers as SWAG: `swag.url` is `<server URL>/swag`. */
export const SWAG_PREFIX = "/swag/1/accounts/";

/**
 * `GET /swag/1/accounts/<id>`: SWAG's account record (`name`, `id`, and fields weep does not read) for an
 * account the server knows, else SWAG's 404. No login needed, as SWAG asks none of weep.
 */
export function swagAccountResponse(view: ResourceView, id: string): Response {
  const name = view.accounts[id];
  if (name === undefined) return webResponse(404, { message: "Account not found." });
  return webResponse(200, {
    id,
    name,
    email: `${name}@example.com`,
    environment: name.includes("prod") ? "prod" : "test",
    provider: "aws",
    aliases: [name],
    owner: "owner@example.com",
    status: [{ status: "created" }],
  });
}
