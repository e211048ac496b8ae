/**
 * `doctor`'s checks of weep itself: its configuration, ConsoleMe's answers, the login session, and whether
 * the `weep` that generated profiles run is this installation. Pure: probes are done by the caller.
 *
 * @module
 */

import { isFor, type Session } from "../auth/session.ts";
import { missingUrlHints } from "../config/netflix.ts";
import type { WeepPaths } from "../platform/paths.ts";
import type { LoadedConfig } from "../config/load.ts";
import { type HttpResponse, isHtml, shownBody } from "../consoleme/http.ts";
import type { InstallRecord } from "../config/install_record.ts";
import type { StateScan } from "../platform/state_scan.ts";
import { type CheckResult, limited, result } from "./report.ts";

/** A failure as doctor reports it: the message and its hints. */
export interface Failure {
  error: string;
  hints: string[];
}

/** The configuration loaded, with a ConsoleMe URL. */
export function checkConfig(
  loaded: LoadedConfig | Failure,
  paths: Pick<WeepPaths, "home" | "weepConfigFile">,
  os: typeof Deno.build.os,
): CheckResult {
  if ("error" in loaded) return result("Config", "fail", loaded.error, loaded.hints);
  const { config, files } = loaded;
  const from = files.length ? files.join(", ") : "no config file";
  if (!config.consoleme_url) {
    const [set, ...rest] = missingUrlHints(paths, os);
    return result("Config", "fail", `consoleme_url is not set (${files.length ? `read ${from}` : from})`, [
      `Fix: ${set}`,
      ...rest,
    ]);
  }
  const warnings = loaded.warnings.map((warning) => `note: ${warning}`);
  return result(
    "Config",
    warnings.length ? "warn" : "ok",
    `${from}; ConsoleMe ${config.consoleme_url}, ${config.authentication_method} login`,
    warnings,
  );
}

/** What a probe of ConsoleMe got: a response, or the failure. */
export type Probe = HttpResponse | Failure;

/** `GET /healthcheck` answers `OK` (text, no login needed). */
export function checkHealth(baseUrl: string, probe: Probe): CheckResult {
  if ("error" in probe) return result("ConsoleMe", "fail", probe.error, probe.hints);
  if (probe.status === 200 && /^\s*OK\s*$/i.test(probe.text)) {
    return result("ConsoleMe", "ok", `${baseUrl} is up`);
  }
  // Only an error answer is quoted (shortened, secrets removed), as everywhere.
  const shown = shownBody(probe)?.slice(0, 60);
  const what = isHtml(probe) ? "an HTML page" : shown === undefined ? "something else" : `"${shown}"`;
  return result(
    "ConsoleMe",
    "fail",
    `${baseUrl}/healthcheck answered HTTP ${probe.status} with ${what}, not OK`,
    [
      "Fix: consoleme_url must be ConsoleMe's base URL (the one its web UI is served from), without a path",
    ],
  );
}

/** `GET /api/v2/get_roles` answers JSON (an error without a login is fine: it proves the API answers). */
export function checkApi(baseUrl: string, probe: Probe, sentCookie: boolean): CheckResult {
  const title = "ConsoleMe API";
  if ("error" in probe) return result(title, "fail", probe.error, probe.hints);
  const where = `${baseUrl}/api/v2/get_roles`;
  if (isHtml(probe)) {
    return result(title, "fail", `${where} answered with an HTML page (HTTP ${probe.status}), not JSON`, [
      "Fix: check consoleme_url; a proxy or login page may be in the way",
    ]);
  }
  try {
    JSON.parse(probe.text);
  } catch {
    return result(title, "fail", `${where} answered HTTP ${probe.status} with a body that is not JSON`);
  }
  if (probe.status === 200) {
    return result(title, "ok", `answers JSON${sentCookie ? " and accepts your login" : ""}`);
  }
  return result(title, "ok", `answers JSON (HTTP ${probe.status}${sentCookie ? "" : " without a login"})`);
}

/** The stored challenge login: present, for this ConsoleMe, not expired, accepted. */
export function checkSession(
  facts: { method: string; baseUrl: string; session: Session | undefined; now: Date; rejected: boolean },
): CheckResult {
  const title = "Login";
  if (facts.method === "mtls") return result(title, "ok", "mTLS: the client certificate is the login");
  const { session } = facts;
  const relogin = "weep opens the ConsoleMe login page the next time it needs ConsoleMe";
  if (!session) return result(title, "warn", `not logged in; ${relogin}`);
  if (!isFor(session, facts.baseUrl)) {
    return result(
      title,
      "warn",
      `the stored login is for ${session.consoleme_url || "another ConsoleMe"}; ${relogin}`,
    );
  }
  const expires = new Date(session.expiration * 1000).toISOString();
  if (session.expiration * 1000 <= facts.now.getTime()) {
    return result(title, "warn", `the login of ${session.user} expired at ${expires}; ${relogin}`);
  }
  if (facts.rejected) {
    return result(title, "warn", `ConsoleMe no longer accepts the login of ${session.user}; ${relogin}`);
  }
  return result(title, "ok", `logged in as ${session.user} until ${expires}`);
}

/**
 * weep's own directory: every state directory this user's with mode 0700, every state file one weep trusts
 * (see `state_files.ts`), and no secret readable by others. Each problem comes with its fix.
 */
export function checkStateFiles(scan: StateScan): CheckResult {
  const title = "Weep files";
  if (!scan.problems.length) {
    return result(
      title,
      "ok",
      `${scan.checked} in ~/.aws/weep are yours and private (0700 directories, 0600 files)`,
    );
  }
  const count = scan.problems.length === 1 ? "1 problem" : `${scan.problems.length} problems`;
  return result(title, "fail", `${count} with weep's logins, credentials and locks`, [
    ...limited(scan.problems.map((found) => `${found.path} ${found.problem}`)),
    ...limited(scan.problems.map((found) => `Fix: ${found.fix}`)),
  ]);
}

/** A profile that runs weep, and the program its command line names. */
export interface WeepProfile {
  name: string;
  program: string;
}

/** Where the `weep` on PATH is: its path, `undefined` when none, or `"unknown"` when it cannot be checked. */
export type PathLookup = (name: string) => string | undefined | "unknown";

/** Whether the `weep` that profiles run is the one `deno task install` installed. */
export function checkInstall(
  record: InstallRecord | undefined,
  profiles: readonly WeepProfile[],
  which: PathLookup,
): CheckResult {
  const title = "Install";
  if (!record) {
    const status = profiles.length ? "warn" : "ok";
    return result(title, status, `no install record (${profiles.length} profiles run weep)`, [
      ...(profiles.length ? ["Fix: install weep with `deno task install`, then run weep generate"] : []),
    ]);
  }
  const stale: string[] = [];
  const bare = profiles.filter((profile) => !/[\\/]/.test(profile.program));
  for (const profile of profiles) {
    if (/[\\/]/.test(profile.program) && profile.program !== record.path) {
      stale.push(`"${profile.name}" runs ${profile.program}`);
    }
  }
  let note = "";
  if (bare.length) {
    const found = which(bare[0]!.program);
    if (found === undefined) stale.push(`${bare.length} profiles run "weep", which is not on PATH`);
    else if (found === "unknown") note = "; run `command -v weep` to confirm it prints " + record.path;
    else if (found !== record.path) {
      stale.push(`${bare.length} profiles run "weep", which is ${found} on PATH`);
    }
  }
  if (stale.length) {
    return result(title, "fail", `profiles run a weep other than this install (${record.path})`, [
      ...limited(stale),
      "Fix: run weep generate to point the profiles at this install, or put its directory first on PATH",
    ]);
  }
  return result(title, "ok", `${record.kind} at ${record.path}; ${profiles.length} profiles run it${note}`);
}
