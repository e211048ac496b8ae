/**
 * Links into ConsoleMe's web UI for `console` and `open`: the base URL people's browsers use, the console
 * login page of a role, and resource pages. Pure.
 *
 * @module
 */

import type { WeepConfig } from "../config/schema.ts";
import { missingUrlHints } from "../config/netflix.ts";
import type { WeepPaths } from "../platform/paths.ts";
import { UsageError, WeepError } from "../errors.ts";
import type { UrlTrust } from "./trusted_url.ts";
import { percentEncode } from "../text/percent.ts";
import { parseArn } from "../aws/arn.ts";

/** The base URL for browser links: `consoleme_open_url_override`, else `consoleme_url`, without trailing `/`. */
export function browserBaseUrl(
  config: Pick<WeepConfig, "consoleme_url" | "consoleme_open_url_override">,
  paths: Pick<WeepPaths, "home" | "weepConfigFile">,
): string {
  const base = (config.consoleme_open_url_override || config.consoleme_url).replace(/\/+$/, "");
  if (!base) {
    throw new WeepError("consoleme_url is not set: weep does not know which ConsoleMe to link to", {
      hints: missingUrlHints(paths, Deno.build.os),
    });
  }
  return base;
}

/** Whose links `console` and `open` may open: ConsoleMe's, its browser URL's, and `trusted_origins`. */
export function browserTrust(
  config: Pick<WeepConfig, "consoleme_url" | "consoleme_open_url_override" | "trusted_origins">,
): UrlTrust {
  return {
    baseUrls: [config.consoleme_url, config.consoleme_open_url_override].filter(Boolean),
    extraOrigins: config.trusted_origins,
  };
}

/**
 * What a role's path segments keep unescaped besides what RFC 3986 leaves alone: the characters role ARNs use that
 * a segment may hold (`:` `@` `+` `=` `,`), and those `encodeURIComponent` never escaped (`!'()*`), as before.
 */
const ARN_MARKS = ":@+=,!'()*";

/**
 * The ConsoleMe page that logs the browser into the AWS console as `role` (an ARN or a search string):
 * `<base>/role/<role>`, each `/`-separated part of the role escaped. Without a role, ConsoleMe's home page.
 */
export function consoleRoleUrl(base: string, role: string | undefined): string {
  if (!role) return `${base}/`;
  return `${base}/role/${role.split("/").map((part) => percentEncode(part, ARN_MARKS)).join("/")}`;
}

/**
 * Joins the browser base URL and the path `get_resource_url` returned (`/policies/edit/...` or
 * `/role/<account>?redirect=...`); an absolute http(s) URL is used as it is.
 */
export function resourceLink(base: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return base + (path.startsWith("/") ? path : `/${path}`);
}

/**
 * Checks an ARN before asking ConsoleMe about it: `arn:partition:service:region:account:resource` (at least
 * six `:`-separated parts), and SNS and SQS ARNs need their region.
 */
export function validateResourceArn(arn: string): void {
  const parsed = parseArn(arn);
  if (!parsed?.service) {
    throw new UsageError(
      `Invalid ARN "${arn}": expected arn:<partition>:<service>:<region>:<account>:<resource>`,
      {
        hints: ["Example: weep open arn:aws:iam::123456789012:role/app_role"],
      },
    );
  }
  const { service } = parsed;
  if ((service === "sns" || service === "sqs") && !parsed.region) {
    throw new UsageError(`Invalid ARN "${arn}": ${service.toUpperCase()} ARNs must include the region`, {
      hints: [`Example: arn:aws:${service}:us-east-1:123456789012:name`],
    });
  }
}
