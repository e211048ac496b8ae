/**
 * The one SHA-256 helper: digests for SigV4, the serve token check and release checksums, and short, stable
 * names from text (the first bytes of the digest, in hex) for cache, snapshot, session and lock files, so that
 * role names, URLs and paths never appear in file names. Loaded by the cache hit: imports nothing.
 *
 * @module
 */

const encoder = new TextEncoder();

/** SHA-256 of `data`: a string (its UTF-8 bytes) or bytes. */
export async function sha256(data: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

/** SHA-256 of `data` as lowercase hex: all 32 bytes, or the first `bytes` of them. */
export async function sha256Hex(data: string | Uint8Array, bytes = 32): Promise<string> {
  return hex((await sha256(data)).subarray(0, bytes));
}

/** `bytes` as lowercase hex, two digits each. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
