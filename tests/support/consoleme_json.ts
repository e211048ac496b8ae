/**
 * How the test ConsoleMe writes its bodies, byte for byte like the Python server: `ujson` (compact, `/` escaped
 * as `\/`), Python's `json.dumps` (`", "` and `": "` separators, as Tornado's `write(dict)` and pydantic use),
 * problem+json errors, Tornado's HTML error pages and the single-page app's `index.html`.
 *
 * @module
 */

/** HTTP reason phrases Tornado uses in its titles. */
const REASONS: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  500: "Internal Server Error",
};

/** The reason phrase for `status` (`"Unknown"` for codes Tornado would not name). */
export function reason(status: number): string {
  return REASONS[status] ?? "Unknown";
}

const asciiOnly = (text: string) =>
  text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** `ujson.dumps(value)`: compact JSON, non-ASCII as `\uXXXX`, and every `/` written as `\/`. */
export function ujson(value: unknown): string {
  // Outside strings JSON text never contains "/" or non-ASCII, so escaping the whole text is exact.
  return asciiOnly(JSON.stringify(value)).replaceAll("/", "\\/");
}

/** Python's `json.dumps(value)`: `", "` and `": "` separators, ASCII only; `undefined` members are left out. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object") {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${asciiOnly(JSON.stringify(k))}: ${pythonJson(v)}`);
    return `{${members.join(", ")}}`;
  }
  return asciiOnly(JSON.stringify(value));
}

/** A response with `body` and `contentType`. */
export function textResponse(status: number, body: string, contentType: string): Response {
  return new Response(body, { status, headers: { "content-type": contentType } });
}

/** Tornado's `write(dict)`: Python JSON with `</` escaped, `application/json; charset=UTF-8`. */
export function tornadoJson(status: number, value: unknown): Response {
  return textResponse(status, pythonJson(value).replaceAll("</", "<\\/"), "application/json; charset=UTF-8");
}

/** A body written with ujson and `Content-Type: application/json` (credentials, v1 roles, typeahead). */
export function ujsonResponse(status: number, value: unknown): Response {
  return textResponse(status, ujson(value), "application/json");
}

/** A pydantic WebResponse body (Python JSON) with `Content-Type: application/json`. */
export function webResponse(status: number, value: unknown): Response {
  return textResponse(status, pythonJson(value), "application/json");
}

/** ConsoleMe's problem+json error: `{"status": 403, "title": "Forbidden", "message": "Forbidden"}`. */
export function problem(status: number, message?: string): Response {
  const body = { status, title: reason(status), message: message ?? reason(status) };
  return textResponse(status, pythonJson(body), "application/problem+json");
}

/** Tornado's default HTML error page, as the static handler and the challenge endpoints send it. */
export function tornadoHtml(status: number): Response {
  const title = `${status}: ${reason(status)}`;
  return textResponse(
    status,
    `<html><title>${title}</title><body>${title}</body></html>`,
    "text/html; charset=UTF-8",
  );
}

/** The single-page app's `index.html`, which the static catch-all answers to any unknown GET. */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>ConsoleMe</title><link rel="icon" href="/favicon.ico"></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>
<script src="/static/js/main.chunk.js"></script></body>
</html>
`;

/** The SPA catch-all: `index.html` with status 200. */
export function indexPage(): Response {
  return textResponse(200, INDEX_HTML, "text/html");
}

/** A fresh uuid4, as ConsoleMe's `request_id`. */
export function requestId(): string {
  return crypto.randomUUID();
}
