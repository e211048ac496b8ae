/**
 * The marker line weep writes under the header of every profile it manages, and what it says: which
 * ConsoleMe the profile came from and for which role. One line, `key=value` words after a fixed prefix, so
 * that people can read it and tools can parse it:
 *
 * ```ini
 * [profile prod-app-admin]
 * # managed by weep: consoleme=https://consoleme.example.com role=arn:aws:iam::123456789012:role/app_admin
 * ```
 *
 * Markers written before weep recorded an origin (`# managed by weep: weep may rewrite or remove this
 * profile`) still mark a profile as weep's; they carry no owner. Unknown words are ignored, so later fields
 * can be added without breaking older readers. Pure.
 *
 * @module
 */

import { pyStrip } from "./ini_parse.ts";

/** The marker weep wrote before it recorded origins; still written for profiles without an owner. */
export const MANAGED_MARKER = "# managed by weep: weep may rewrite or remove this profile";
const PREFIX = "# managed by weep";

/** Where a managed profile came from: the ConsoleMe it was generated from and the role it is for. */
export interface ProfileOwner {
  /** The ConsoleMe's origin, as `consoleMeOrigin` (`src/consoleme/origin.ts`) spells it. */
  origin: string;
  /** The role ARN (or, for `weep file`, the role as it was asked for). */
  role: string;
}

// Marker values are single words: whitespace and `%` are percent-encoded, everything else stays readable.
const encode = (value: string) => value.replace(/[%\s]/gu, (c) => encodeURIComponent(c));
const decode = (value: string) => {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** The marker line for a profile of `owner`, or the ownerless marker. */
export function markerLine(owner?: ProfileOwner): string {
  if (owner === undefined) return MANAGED_MARKER;
  return `${PREFIX}: consoleme=${encode(owner.origin)} role=${encode(owner.role)}`;
}

/** What a comment line says as a marker: `undefined` when it is no marker, else its owner (if it names one). */
export function parseMarker(text: string): { owner: ProfileOwner | undefined } | undefined {
  const line = pyStrip(text);
  if (!line.startsWith(PREFIX)) return undefined;
  let origin: string | undefined;
  let role: string | undefined;
  // The words after the prefix (and its colon), split at whitespace; the first of each field counts, and fields
  // weep does not know are for later versions.
  let at = PREFIX.length + (line.charCodeAt(PREFIX.length) === 0x3a ? 1 : 0);
  while (at < line.length) {
    while (at < line.length && isSpace(line.charCodeAt(at))) at++;
    let end = at;
    while (end < line.length && !isSpace(line.charCodeAt(end))) end++;
    if (origin === undefined && line.startsWith("consoleme=", at)) origin = decode(line.slice(at + 10, end));
    else if (role === undefined && line.startsWith("role=", at)) role = decode(line.slice(at + 5, end));
    at = end;
  }
  return { owner: origin && role ? { origin, role } : undefined };
}

/** JavaScript's `\s`: what separates the words of a marker. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Whether two owners are the same origin and role. */
export function sameOwner(a: ProfileOwner | undefined, b: ProfileOwner | undefined): boolean {
  return a?.origin === b?.origin && a?.role === b?.role;
}
