/**
 * A temp home already configured for a test ConsoleMe and logged in to it (a session file holding a JWT the
 * server issued), so command tests skip the challenge flow.
 *
 * @module
 */

import type { ConsoleMeServer } from "./consoleme_server.ts";
import { type TempHome, tempHome } from "./cli.ts";

/** Writes `weep.yaml` pointing at `cm` (challenge login as its user) plus `extraYaml`. */
export async function configureFor(home: TempHome, cm: ConsoleMeServer, extraYaml = ""): Promise<void> {
  await home.writeConfig(
    `consoleme_url: ${cm.url}\nchallenge_settings:\n  user: ${cm.settings.user}\n${extraYaml}`,
  );
}

/** Stores a login session for `cm` in `home` (as weep writes it after a challenge login). */
export async function logIn(home: TempHome, cm: ConsoleMeServer): Promise<void> {
  const issued = await cm.issueJwt();
  const session = {
    cookie_name: issued.cookieName,
    encoded_jwt: issued.jwt,
    expiration: issued.expiration,
    user: issued.user,
    consoleme_url: cm.url,
  };
  await Deno.writeTextFile(`${home.weep}/session.json`, JSON.stringify(session) + "\n", { mode: 0o600 });
}

/** A temp home configured for `cm` and logged in. */
export async function loggedInHome(cm: ConsoleMeServer, extraYaml = ""): Promise<TempHome> {
  const home = await tempHome();
  await configureFor(home, cm, extraYaml);
  await logIn(home, cm);
  return home;
}
