/**
 * One HTTP request whose answer is JSON, for tests of the test servers.
 *
 * @module
 */

// deno-lint-ignore no-explicit-any
export type Json = any;

/** Fetches `url` and returns the status, the content type and the parsed JSON body. */
export async function getJson(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; type: string; body: Json }> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    body: await response.json(),
  };
}
