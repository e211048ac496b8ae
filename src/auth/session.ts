/**
 * The challenge login session stored in `~/.aws/weep/session.json` (mode 0600, written atomically): the JWT
 * cookie ConsoleMe issued, when it expires, the user, and the ConsoleMe URL it belongs to.
 *
 * @module
 */

import { readTextIfExists, writeFileAtomic } from "../platform/files.ts";

/** A stored login. */
export interface Session {
  cookie_name: string;
  encoded_jwt: string;
  /** Epoch seconds (the JWT's `exp`). */
  expiration: number;
  user: string;
  /** The ConsoleMe base URL the session is for. */
  consoleme_url: string;
}

/** Sessions this close to expiry count as expired, so a request never races the JWT's end. */
const MARGIN_SECONDS = 60;

/** Parses session JSON; anything malformed is `undefined` (a broken file is never a crash). */
export function parseSession(text: string | undefined): Session | undefined {
  if (text === undefined) return undefined;
  try {
    const data = JSON.parse(text);
    if (
      typeof data === "object" && data !== null && typeof data.cookie_name === "string" &&
      typeof data.encoded_jwt === "string" && typeof data.expiration === "number" &&
      typeof data.user === "string"
    ) {
      return {
        cookie_name: data.cookie_name,
        encoded_jwt: data.encoded_jwt,
        expiration: data.expiration,
        user: data.user,
        consoleme_url: typeof data.consoleme_url === "string" ? data.consoleme_url : "",
      };
    }
  } catch {
    // fall through: an unreadable session is no session
  }
  return undefined;
}

/**
 * Whether `session` can be used for `baseUrl` at `now`, and, when `user` is configured, whether it is that
 * user's login (a session of someone else is never used for them).
 */
export function isUsable(session: Session | undefined, baseUrl: string, now: Date, user = ""): boolean {
  return session !== undefined && session.consoleme_url === baseUrl &&
    session.expiration - MARGIN_SECONDS > now.getTime() / 1000 &&
    (user === "" || session.user.toLowerCase() === user.toLowerCase());
}

/** Reads the stored session, if any. */
export async function readSession(path: string): Promise<Session | undefined> {
  return parseSession(await readTextIfExists(path));
}

/** Stores a session atomically with mode 0600. The caller holds the login lock. */
export async function writeSession(path: string, session: Session): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(session) + "\n", { mode: 0o600 });
}

/** Removes the stored session when it is still the one that was rejected. */
export async function discardSession(path: string, rejectedJwt: string): Promise<void> {
  const current = await readSession(path);
  if (current && current.encoded_jwt !== rejectedJwt) return;
  await Deno.remove(path).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}
