/**
 * The secret that guards the ECS endpoint: generated with WebCrypto when `serve` starts, sent back by SDKs in
 * the `Authorization` header (`AWS_CONTAINER_AUTHORIZATION_TOKEN`), and compared in constant time.
 *
 * @module
 */

import { sha256 } from "../platform/hash.ts";

/** How many random bytes a token has. */
export const TOKEN_BYTES = 32;

/** A new random token: {@linkcode TOKEN_BYTES} bytes as base64url (43 characters, safe in a shell word). */
export function generateAuthToken(bytes: number = TOKEN_BYTES): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Bytes as unpadded base64url. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * A checker for `expected`: resolves true only for exactly that value. Both sides are hashed first, so the
 * comparison touches the same number of bytes whatever the input's length, and it never stops early.
 */
export function authTokenChecker(expected: string): (given: string) => Promise<boolean> {
  const expectedDigest = sha256(expected);
  return async (given: string) => {
    const [a, b] = await Promise.all([expectedDigest, sha256(given)]);
    let difference = 0;
    for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
    return difference === 0;
  };
}
