/**
 * Removing secrets from text weep did not write (an answer's body, a server's error text) before any of it is
 * shown: AWS access key IDs, secret keys, session tokens, JWTs, cookies and the values of fields named like
 * them, also when the text was cut off in the middle of one. Pure.
 *
 * @module
 */

import { outsideText } from "./outside_text.ts";

/** What a removed secret is replaced with. */
export const REDACTED = "[redacted]";

/** Names of fields whose values are secrets (`"SessionToken": "…"`, `aws_secret_access_key = …`, `jwt=…`). */
const SECRET_NAME = String
  .raw`[\w-]*(?:secret|token|password|passwd|jwt|cookie|authorization|access_?key(?:_?id)?)[\w-]*`;

const PATTERNS: readonly [RegExp, string][] = [
  // A Cookie or Set-Cookie header, or an Authorization header: the rest of the line.
  [/\b((?:set-)?cookie|authorization)(\s*:\s*)[^\r\n]*/gi, `$1$2${REDACTED}`],
  // A field named like a secret: its value, quoted (possibly unterminated: a body cut off) or bare.
  [
    new RegExp(
      String
        .raw`(["']?)\b(${SECRET_NAME})\1(\s*[:=]\s*)(?:"(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s"'{\[,;}&<][^\s,;}&<]*)`,
      "gi",
    ),
    `$1$2$1$3"${REDACTED}"`,
  ],
  // A bearer token.
  [/\bBearer\s+[\w.~+/=-]+/gi, `Bearer ${REDACTED}`],
  // A JWT, whole or cut off (the base64url of `{"` starts every header).
  [/\beyJ[\w-]{4,}(?:\.[\w-]*){0,2}/g, REDACTED],
  // An AWS access key ID, whole or cut off after a few characters.
  [/\b(?:AKIA|ASIA|AIDA|AROA|AGPA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{4,}/g, REDACTED],
  // A secret access key (40 base64 characters) or a session token (hundreds): any long base64 run.
  [/[A-Za-z0-9+/]{40,}={0,2}/g, REDACTED],
];

/** `text` with everything that looks like a secret replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let clean = text;
  for (const [pattern, replacement] of PATTERNS) clean = clean.replace(pattern, replacement);
  return clean;
}

/**
 * A body for an error message: secrets removed, whitespace folded, made terminal-safe and cut to `max`
 * characters (secrets are removed before cutting, so a cut never leaves part of one behind).
 */
export function bodyExcerpt(text: string, max = 200): string {
  const flat = outsideText(redactSecrets(text).replace(/\s+/g, " ").trim());
  return flat.length > max ? flat.slice(0, max) + "..." : flat || "(empty)";
}
