/**
 * The SWAG account look-up of `weep whoami` (`swag.enable`), as Netflix weep made it: `GET
 * <swag.url>/1/accounts/<account ID>`, whose JSON answer names the account (`{"name": "prod", …}`). SWAG is
 * sent no ConsoleMe login: only, with `swag.use_mtls`, the mTLS client certificate (the caller's `client`).
 *
 * @module
 */

import { interruption, WeepError } from "../errors.ts";
import { BodyTooLargeError, formatBytes, readTextCapped } from "../platform/http_body.ts";
import { failureReason } from "./http.ts";

/** What the look-up needs. */
export interface SwagDeps {
  fetch: typeof fetch;
  /** Abandon the request after this long. */
  timeoutMs: number;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal | undefined;
  /** `weep/<version> (Deno)`. */
  userAgent: string;
  /** A Deno HTTP client carrying the mTLS certificate (`swag.use_mtls`). */
  client?: Deno.HttpClient | undefined;
}

/** The most weep reads of SWAG's answer: one account's record is a few KiB. */
export const SWAG_BODY_LIMIT = 1 << 20;
/** The longest account name weep shows; a longer one is not a name. */
const NAME_LIMIT = 256;

/** `<swag.url>/1/accounts/<account ID>`, with the base URL's trailing slashes removed. */
export function swagAccountUrl(baseUrl: string, accountId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/1/accounts/${encodeURIComponent(accountId)}`;
}

const HINT = "Check swag.url in ~/.aws/weep/weep.yaml (or set swag.enable: false)";

/**
 * The name SWAG gives the account `accountId`, or `undefined` when SWAG does not know the account (404).
 * Throws a transient {@linkcode WeepError} naming SWAG's URL when SWAG cannot be reached, does not answer in
 * `deps.timeoutMs`, answers another error status, or answers without a name; an interruption when
 * `deps.signal` is aborted.
 */
export async function swagAccountName(
  baseUrl: string,
  accountId: string,
  deps: SwagDeps,
): Promise<string | undefined> {
  const url = swagAccountUrl(baseUrl, accountId);
  const origin = new URL(url).origin;
  const timeout = AbortSignal.timeout(deps.timeoutMs);
  const init: RequestInit & { client?: Deno.HttpClient } = {
    headers: { "User-Agent": deps.userAgent, Accept: "application/json" },
    signal: deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout,
  };
  if (deps.client) init.client = deps.client;
  let status: number;
  let text: string;
  try {
    const response = await deps.fetch(url, init);
    status = response.status;
    text = await readTextCapped(response, SWAG_BODY_LIMIT);
  } catch (error) {
    if (deps.signal?.aborted) throw interruption(deps.signal);
    const reason = error instanceof BodyTooLargeError
      ? `it answered with more than ${formatBytes(SWAG_BODY_LIMIT)}`
      : timeout.aborted
      ? `no answer within ${deps.timeoutMs / 1000} s`
      : failureReason(error);
    throw new WeepError(`Cannot reach SWAG at "${origin}": ${reason}`, {
      hints: [HINT],
      cause: error,
      failure: "transient",
    });
  }
  if (status === 404) return undefined;
  if (status < 200 || status > 299) {
    throw new WeepError(`SWAG at "${origin}" answered HTTP ${status} for account "${accountId}"`, {
      hints: [
        HINT,
        ...(status === 401 || status === 403
          ? ["If SWAG asks for a client certificate, set swag.use_mtls: true (the mtls_settings certificate)"]
          : []),
      ],
      failure: "transient",
    });
  }
  const name = nameOf(text);
  if (name === undefined) {
    throw new WeepError(`SWAG at "${origin}" answered account "${accountId}" without a name`, {
      hints: [`${HINT}: it should be SWAG's API, answering {"name": …}`],
      failure: "transient",
    });
  }
  return name;
}

/** The `name` of a SWAG account record, if it is a short non-empty string. */
function nameOf(text: string): string | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  const name = (record as { name?: unknown } | null)?.name;
  if (typeof name !== "string") return undefined;
  const trimmed = name.trim();
  return trimmed && trimmed.length <= NAME_LIMIT ? trimmed : undefined;
}
