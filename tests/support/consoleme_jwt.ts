/**
 * HS256 JWTs as ConsoleMe mints and checks them (PyJWT's header, `nbf`/`iat`/`exp` claims), with WebCrypto.
 *
 * @module
 */

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (text.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** A fresh random HMAC-SHA256 key: ConsoleMe's per-process `jwt_secret` when none is configured. */
export function newJwtKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** Signs `claims` as an HS256 JWT (header `{"alg":"HS256","typ":"JWT"}`, like PyJWT). */
export async function signJwt(key: CryptoKey, claims: Record<string, unknown>): Promise<string> {
  const head = base64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const body = base64url(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(`${head}.${body}`));
  return `${head}.${body}.${base64url(new Uint8Array(signature))}`;
}

/**
 * The claims of `token` when it is an HS256 JWT signed with `key`, not expired and not before its `nbf` at
 * `nowSeconds`; otherwise `undefined`.
 */
export async function verifyJwt(
  key: CryptoKey,
  token: string,
  nowSeconds: number,
): Promise<Record<string, unknown> | undefined> {
  const [head, body, signature, ...extra] = token.split(".");
  if (head === undefined || body === undefined || signature === undefined || extra.length > 0) {
    return undefined;
  }
  const sig = fromBase64url(signature);
  const headerBytes = fromBase64url(head);
  const claimBytes = fromBase64url(body);
  if (!sig || !headerBytes || !claimBytes) return undefined;
  const valid = await crypto.subtle.verify("HMAC", key, sig, encoder.encode(`${head}.${body}`));
  if (!valid) return undefined;
  try {
    const header = JSON.parse(new TextDecoder().decode(headerBytes));
    const claims = JSON.parse(new TextDecoder().decode(claimBytes));
    if (header?.alg !== "HS256" || typeof claims !== "object" || claims === null) return undefined;
    if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) return undefined;
    if (typeof claims.nbf === "number" && claims.nbf > nowSeconds) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
