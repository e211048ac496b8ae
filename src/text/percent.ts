/**
 * The one percent-encoder (RFC 3986): SigV4's canonical requests and STS query strings, the paths of
 * ConsoleMe's console links and of `weep serve`'s ECS endpoint.
 *
 * @module
 */

/**
 * Percent-encodes `text`: every UTF-8 byte as `%XX` (upper-case hex) except the unreserved characters
 * `A-Z a-z 0-9 - . _ ~` and the ASCII characters in `keep` (`":/@"` keeps ARNs readable in a path). Throws
 * `URIError` on a lone surrogate, which no encoding can represent.
 */
export function percentEncode(text: string, keep = ""): string {
  return encodeURIComponent(text).replace(/%[0-7][0-9A-F]|[!'()*]/g, (match) => {
    const char = match.length === 1 ? match : String.fromCharCode(parseInt(match.slice(1), 16));
    if (keep.includes(char)) return char;
    return match.length === 1 ? `%${char.charCodeAt(0).toString(16).toUpperCase()}` : match;
  });
}
