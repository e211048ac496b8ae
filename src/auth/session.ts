/**
 * Challenge login sessions: one per ConsoleMe origin and user, each in its own file under
 * `~/.aws/weep/sessions/` (mode 0600, written atomically), holding the JWT cookie ConsoleMe issued, when it
 * expires, the user and the ConsoleMe it belongs to. Switching between configurations of different
 * ConsoleMes costs no login. The single `~/.aws/weep/session.json` of earlier releases is moved over on first
 * use. A session file that is not this user's own (a link, another owner, writable by others: see
 * `state_files.ts`) is refused with a fix, never used.
 *
 * @module
 */

import { joinPath } from "../platform/paths.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";
import { WeepError } from "../errors.ts";
import { lockFile } from "../platform/locks.ts";
import { sha256Hex } from "../platform/hash.ts";
import { readStateFile, readStateFileSync, writeStateFile } from "../platform/state_files.ts";
import { parseRecord } from "../platform/state_trust.ts";

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

/** Where sessions live. */
export interface SessionStore {
  /** `~/.aws/weep/sessions`. */
  sessionsDir: string;
  /** `~/.aws/weep/session.json`: the one session of earlier releases, moved into `sessionsDir` on first use. */
  legacySessionFile: string;
  /** `~/.aws/weep/locks`. */
  locksDir: string;
}

/** Sessions this close to expiry count as expired, so a request never races the JWT's end. */
const MARGIN_SECONDS = 60;
const os = Deno.build.os;

/** Parses session JSON; anything malformed is `undefined` (a broken file is never a crash). */
export function parseSession(text: string | undefined): Session | undefined {
  const data = parseRecord(text);
  if (
    data === undefined || typeof data.cookie_name !== "string" || typeof data.encoded_jwt !== "string" ||
    typeof data.expiration !== "number" || typeof data.user !== "string"
  ) return undefined;
  return {
    cookie_name: data.cookie_name,
    encoded_jwt: data.encoded_jwt,
    expiration: data.expiration,
    user: data.user,
    consoleme_url: typeof data.consoleme_url === "string" ? data.consoleme_url : "",
  };
}

/** Whether `session` was issued by the ConsoleMe at `baseUrl` (any spelling of it). */
export function isFor(session: Session, baseUrl: string): boolean {
  return session.consoleme_url !== "" && consoleMeOrigin(session.consoleme_url) === consoleMeOrigin(baseUrl);
}

/**
 * Whether `session` can be used for `baseUrl` at `now`, and, when `user` is configured, whether it is that
 * user's login (a session of someone else is never used for them).
 */
export function isUsable(session: Session | undefined, baseUrl: string, now: Date, user = ""): boolean {
  return session !== undefined && isFor(session, baseUrl) &&
    session.expiration - MARGIN_SECONDS > now.getTime() / 1000 &&
    (user === "" || session.user.toLowerCase() === user.toLowerCase());
}

/** The prefix of every session file of the ConsoleMe at `baseUrl`. */
export async function originPrefix(baseUrl: string): Promise<string> {
  return `${await sha256Hex(consoleMeOrigin(baseUrl), 8)}-`;
}

/** The file of `user`'s session at `baseUrl`: `<origin hash>-<user hash>.json` (no URL or name in file names). */
export async function sessionPath(dir: string, baseUrl: string, user: string): Promise<string> {
  const name = `${await originPrefix(baseUrl)}${await sha256Hex(user.toLowerCase(), 8)}.json`;
  return joinPath(os, dir, name);
}

/** The lock a login to the ConsoleMe at `baseUrl` takes, so that processes waiting on it reuse one login. */
export async function loginLockPath(locksDir: string, baseUrl: string): Promise<string> {
  return joinPath(os, locksDir, `login-${(await originPrefix(baseUrl)).slice(0, -1)}.lock`);
}

/**
 * Of the sessions for one ConsoleMe, the one to use when no user is configured: the latest to expire (the
 * last login). The credential fast path picks the same way.
 */
export function latestSession<T extends { expiration: number }>(sessions: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const session of sessions) {
    if (best === undefined || session.expiration > best.expiration) best = session;
  }
  return best;
}

/**
 * The text of the session file at `path` (`undefined` when there is none); a file that is not this user's
 * own is refused with a fix.
 */
async function readSessionFile(path: string): Promise<string | undefined> {
  const read = await readStateFile(path);
  if (read === undefined || "text" in read) return read?.text;
  throw new WeepError(`Refusing the login session in "${path}": the file ${read.problem}`, {
    hints: [
      `Fix: remove it (rm "${path}"), then run weep again to log in`,
      "weep writes sessions itself, mode 0600, in a directory only you can reach; it did not write this one",
    ],
  });
}

/**
 * Every readable session in the store, with its file (the legacy file is moved over first). A session file
 * that is not this user's own is refused (see {@linkcode readSessionFile}).
 */
export async function listSessions(store: SessionStore): Promise<{ path: string; session: Session }[]> {
  await migrateLegacySession(store);
  const found: { path: string; session: Session }[] = [];
  try {
    for await (const entry of Deno.readDir(store.sessionsDir)) {
      if (entry.isDirectory || !entry.name.endsWith(".json")) continue;
      const path = joinPath(os, store.sessionsDir, entry.name);
      const session = parseSession(await readSessionFile(path));
      if (session) found.push({ path, session });
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort((a, b) =>
    a.session.consoleme_url.localeCompare(b.session.consoleme_url) ||
    a.session.user.localeCompare(b.session.user)
  );
}

/**
 * The stored session for the ConsoleMe at `baseUrl` and `user`; with no user, that ConsoleMe's latest. It may
 * have expired: check with {@linkcode isUsable}.
 */
export async function findSession(
  store: SessionStore,
  baseUrl: string,
  user = "",
): Promise<Session | undefined> {
  await migrateLegacySession(store);
  if (user !== "") {
    const session = parseSession(await readSessionFile(await sessionPath(store.sessionsDir, baseUrl, user)));
    return session && isFor(session, baseUrl) && session.user.toLowerCase() === user.toLowerCase()
      ? session
      : undefined;
  }
  const sessions = (await listSessions(store)).map((found) => found.session);
  return latestSession(sessions.filter((session) => isFor(session, baseUrl)));
}

/** Stores a session atomically with mode 0600, in its origin and user's file. The caller holds the login lock. */
export async function writeSession(store: SessionStore, session: Session): Promise<void> {
  const path = await sessionPath(store.sessionsDir, session.consoleme_url, session.user);
  await writeStateFile(path, JSON.stringify(session) + "\n");
}

/** Removes `rejected`'s stored session when it is still the one that was rejected. */
export async function discardSession(store: SessionStore, rejected: Session): Promise<void> {
  const path = await sessionPath(store.sessionsDir, rejected.consoleme_url, rejected.user);
  const read = await readStateFile(path).catch(() => undefined);
  const current = read && "text" in read ? parseSession(read.text) : undefined;
  if (current && current.encoded_jwt !== rejected.encoded_jwt) return;
  await Deno.remove(path).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

/**
 * Moves the single `session.json` of earlier releases into the store, under its ConsoleMe's login lock; a
 * session already stored for that ConsoleMe and user wins. A file that is not a session, or names no
 * ConsoleMe, is removed: it could never be used. One that is not this user's own is refused.
 */
export async function migrateLegacySession(store: SessionStore): Promise<void> {
  let text: string | undefined;
  try {
    text = await readSessionFile(store.legacySessionFile);
  } catch (error) {
    if (error instanceof WeepError) throw error;
    return; // unreadable: leave it for doctor to report
  }
  if (text === undefined) return;
  const session = parseSession(text);
  if (session && session.consoleme_url !== "" && session.user !== "") {
    await using _lock = await lockFile(await loginLockPath(store.locksDir, session.consoleme_url), {
      doing: "moving the login session of an earlier weep",
    });
    const path = await sessionPath(store.sessionsDir, session.consoleme_url, session.user);
    if (await readStateFile(path) === undefined) await writeSession(store, session);
  }
  await Deno.remove(store.legacySessionFile).catch(() => {});
}

/**
 * The user of the latest session for the ConsoleMe at `baseUrl` (`""` when there is none), read with
 * synchronous calls for the credential fast path. Never throws; never moves the legacy session.
 */
export async function latestUserSync(dir: string, baseUrl: string): Promise<string> {
  try {
    const prefix = await originPrefix(baseUrl);
    const sessions: Session[] = [];
    for (const entry of Deno.readDirSync(dir)) {
      if (!entry.isFile || !entry.name.startsWith(prefix) || !entry.name.endsWith(".json")) continue;
      // A file that is not this user's own is skipped here; the full path refuses it with a fix.
      const session = parseSession(readStateFileSync(joinPath(os, dir, entry.name)));
      if (session && isFor(session, baseUrl)) sessions.push(session);
    }
    return latestSession(sessions)?.user ?? "";
  } catch {
    return "";
  }
}
