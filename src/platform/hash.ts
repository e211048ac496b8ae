/**
 * Short, stable names from text: the first bytes of its SHA-256, in hex. Used for cache, snapshot and lock
 * file names, so that role names, URLs and paths never appear in file names.
 *
 * @module
 */

/** The first `bytes` bytes of SHA-256(`text`) as lowercase hex. */
export async function sha256Prefix(text: string, bytes: number): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest.subarray(0, bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}
