/**
 * One spelling for one ConsoleMe, so that two configurations that reach the same server share its login
 * session and its profiles. Pure, and free of imports: the credential fast path loads it.
 *
 * @module
 */

/**
 * The ConsoleMe a URL names: scheme, lower-case host, the port only when it is not the default, and the path
 * without trailing slashes; no user, query or fragment. Text that is not a URL is returned without trailing
 * slashes.
 */
export function consoleMeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
  } catch {
    return url.replace(/\/+$/, "");
  }
}
