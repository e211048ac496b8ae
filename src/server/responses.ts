/**
 * The responses the credential server sends: plain text for listings and errors (SDKs show error bodies
 * verbatim), JSON for documents, always with an explicit content type and never cached.
 *
 * @module
 */

const COMMON = { "cache-control": "no-store", "x-content-type-options": "nosniff", "server": "weep" };

/** A `text/plain` response. */
export function textResponse(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { ...COMMON, "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/** An `application/json` response: one line of JSON and a newline. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body) + "\n", {
    status,
    headers: { ...COMMON, "content-type": "application/json", ...headers },
  });
}

/** 404 with a short reason. */
export function notFound(what = "Not found"): Response {
  return textResponse(404, what);
}

/** 405 listing the allowed methods. */
export function methodNotAllowed(allowed: string[]): Response {
  return textResponse(405, `Method not allowed: use ${allowed.join(" or ")}`, { allow: allowed.join(", ") });
}

/** Whether `request` reads (GET or HEAD). */
export function isRead(request: Request): boolean {
  return request.method === "GET" || request.method === "HEAD";
}
