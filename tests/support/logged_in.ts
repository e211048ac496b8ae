/**
 * A temp home already configured for a test ConsoleMe and logged in to it (a session file holding a JWT the
 * server issued), so command tests skip the challenge flow.
 *
 * @module
 */

import type { ConsoleMeServer } from "./consoleme_server.ts";
import { type TempHome, tempHome } from "./cli.ts";
import { parseSession, type Session, sessionPath, writeSession } from "../../src/auth/session.ts";

/** The session store of `home`, as weep resolves it. */
export function sessionStore(home: TempHome): {
  sessionsDir: string;
  legacySessionFile: string;
  locksDir: string;
} {
  return {
    sessionsDir: `${home.weep}/sessions`,
    legacySessionFile: `${home.weep}/session.json`,
    locksDir: `${home.weep}/locks`,
  };
}

/** The session stored in `home` for `cm` and `user` (default: the server's user), if any. */
export async function storedSession(
  home: TempHome,
  cm: ConsoleMeServer,
  user = cm.settings.user,
): Promise<Session | undefined> {
  const path = await sessionPath(sessionStore(home).sessionsDir, cm.url, user);
  return parseSession(await Deno.readTextFile(path).catch(() => undefined));
}

/** Writes `weep.yaml` pointing at `cm` (challenge login as its user) plus `extraYaml`. */
export async function configureFor(home: TempHome, cm: ConsoleMeServer, extraYaml = ""): Promise<void> {
  await home.writeConfig(
    `consoleme_url: ${cm.url}\nchallenge_settings:\n  user: ${cm.settings.user}\n${extraYaml}`,
  );
}

/** Stores a login session for `cm` in `home` (as weep writes it after a challenge login); returns it. */
export async function logIn(home: TempHome, cm: ConsoleMeServer, user?: string): Promise<Session> {
  const issued = await cm.issueJwt(user);
  const session = {
    cookie_name: issued.cookieName,
    encoded_jwt: issued.jwt,
    expiration: issued.expiration,
    user: issued.user,
    consoleme_url: cm.url,
  };
  await writeSession(sessionStore(home), session);
  return session;
}

/** Forgets every stored login under `weepDir` (`~/.aws/weep`), so the next request must log in. */
export async function logOut(weepDir: string): Promise<void> {
  await Deno.remove(`${weepDir}/sessions`, { recursive: true });
}

/** A temp home configured for `cm` and logged in. */
export async function loggedInHome(cm: ConsoleMeServer, extraYaml = ""): Promise<TempHome> {
  const home = await tempHome();
  await configureFor(home, cm, extraYaml);
  await logIn(home, cm);
  return home;
}
