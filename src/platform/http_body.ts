/**
 * Reading an HTTP answer with a size cap, so that a body with no end (a misbehaving proxy) costs weep a bounded
 * amount of memory instead of growing until the timeout.
 *
 * @module
 */

/** Thrown by {@linkcode readTextCapped} when a body is larger than allowed. */
export class BodyTooLargeError extends Error {
  /** The cap that was exceeded, in bytes. */
  readonly limit: number;

  /** Creates the error for `limit`. */
  constructor(limit: number) {
    super(`The response body is larger than ${formatBytes(limit)}`);
    this.name = "BodyTooLargeError";
    this.limit = limit;
  }
}

/**
 * The body of `response` as text (UTF-8, invalid bytes replaced). Reading stops, and the body is cancelled,
 * as soon as more than `maxBytes` arrived or `Content-Length` announces more: then it throws
 * {@linkcode BodyTooLargeError}.
 */
export async function readTextCapped(response: Response, maxBytes: number): Promise<string> {
  let text = "";
  await readTextPieces(response, maxBytes, (piece) => text += piece);
  return text;
}

/**
 * Hands the body of `response` to `take` as text, piece by piece as it arrives (UTF-8, invalid bytes replaced,
 * a character split between two reads kept whole), so that a large body need not be kept whole. The cap is
 * that of {@linkcode readTextCapped}.
 */
export async function readTextPieces(
  response: Response,
  maxBytes: number,
  take: (text: string) => void,
): Promise<void> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(maxBytes);
  }
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBytes);
    }
    const piece = decoder.decode(value, { stream: true });
    if (piece !== "") take(piece);
  }
  const rest = decoder.decode();
  if (rest !== "") take(rest);
}

/** `1 MiB`, `128 MiB`, `512 KiB`, `100 bytes`: a size for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} bytes`;
}
