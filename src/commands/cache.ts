/**
 * `weep cache list` and `weep cache clear [ROLE]`: what the credential cache and the login sessions hold
 * (never the secrets), and emptying the credential cache.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { App } from "../app/app.ts";
import { listSessions, type Session } from "../auth/session.ts";
import type { CacheEntry } from "../cache/entry.ts";
import { type CacheDirs, clearFailures, listEntries, removeIds } from "../cache/store.ts";
import { joinPath } from "../platform/paths.ts";
import { formatExpiration } from "../aws/credentials.ts";
import { renderTable } from "../platform/table.ts";

/** One cache entry as `weep cache list` shows it. */
export interface CacheRow {
  key: string;
  url: string;
  user: string;
  role: string;
  assume: string[];
  noIp: boolean;
  roleArn: string;
  expiration: string;
  /** Seconds left (negative when expired). */
  remaining: number;
}

/** Describes entries without their secrets. */
export function cacheRows(entries: { id: string; entry: CacheEntry }[], now: Date): CacheRow[] {
  return entries.map(({ id, entry }) => ({
    key: id,
    url: entry.key.url,
    user: entry.key.user,
    role: entry.key.role,
    assume: entry.key.assume,
    noIp: entry.key.noIp,
    roleArn: entry.credentials.roleArn ?? "",
    expiration: formatExpiration(entry.credentials.expiration),
    remaining: Math.round((entry.credentials.expiration.getTime() - now.getTime()) / 1000),
  })).sort((a, b) => a.role.localeCompare(b.role) || a.key.localeCompare(b.key));
}

/** `1h 05m`, `12m 30s`, or `expired`. */
export function formatRemaining(seconds: number): string {
  if (seconds <= 0) return "expired";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}h ${String(m).padStart(2, "0")}m` : `${m}m ${String(s).padStart(2, "0")}s`;
}

/** Renders rows as an aligned table. */
export function formatCacheTable(rows: CacheRow[]): string {
  return renderTable(
    ["KEY", "ROLE", "ASSUME", "USER", "LEFT"],
    rows.map((
      r,
    ) => [r.key.slice(0, 12), r.role, r.assume.join(",") || "-", r.user, formatRemaining(r.remaining)]),
  );
}

/** One stored login as `weep cache list` shows it: which ConsoleMe, which user, how long it lasts; no token. */
export interface SessionRow {
  consoleme_url: string;
  user: string;
  expiration: string;
  /** Seconds left (negative when expired). */
  remaining: number;
}

/** Describes stored logins without their tokens. */
export function sessionRows(sessions: readonly Session[], now: Date): SessionRow[] {
  return sessions.map((session) => ({
    consoleme_url: session.consoleme_url,
    user: session.user,
    expiration: formatExpiration(new Date(session.expiration * 1000)),
    remaining: Math.round(session.expiration - now.getTime() / 1000),
  }));
}

/** Renders stored logins as an aligned table. */
export function formatSessionTable(rows: SessionRow[]): string {
  return renderTable(
    ["CONSOLEME", "USER", "LOGIN LEFT"],
    rows.map((r) => [r.consoleme_url, r.user, formatRemaining(r.remaining)]),
  );
}

/**
 * Removes entries whose role (as asked, or as resolved) equals `role`, or all when `role` is undefined (with
 * every failure kept for `cache.failure_window`, so the next call asks ConsoleMe again).
 */
export async function clearCache(dirs: CacheDirs, role: string | undefined): Promise<number> {
  const entries = await listEntries(dirs);
  const ids = entries
    .filter(({ entry }) =>
      role === undefined || entry.key.role === role || entry.credentials.roleArn === role
    )
    .map(({ id }) => id);
  await removeIds(dirs, ids);
  if (role === undefined) {
    await Deno.remove(joinPath(Deno.build.os, dirs.cacheDir, "config"), { recursive: true }).catch(() => {});
    await clearFailures(dirs);
  }
  return ids.length;
}

/** Registers `weep cache`. */
export function registerCache(program: Command, app: App): void {
  const cache = program.command("cache").description(
    "inspect the credential cache and login sessions, or empty the cache (~/.aws/weep/cache)",
  );
  cache
    .command("list")
    .description("list cached credentials and login sessions: role, user, time left (never the secrets)")
    .option("--json", 'print JSON: {"credentials": [...], "sessions": [...]}')
    .action(async (options) => {
      const rows = cacheRows(await listEntries(app.paths), app.now());
      const sessions = sessionRows((await listSessions(app.paths)).map((found) => found.session), app.now());
      if (options.json) {
        app.output.stdout(JSON.stringify({ credentials: rows, sessions }, null, 2) + "\n");
        return;
      }
      if (rows.length) app.output.stdout(formatCacheTable(rows));
      else app.output.info("The credential cache is empty");
      if (sessions.length) app.output.stdout((rows.length ? "\n" : "") + formatSessionTable(sessions));
      else app.output.info("No stored login");
    });
  cache
    .command("clear")
    .description("remove cached credentials for ROLE (as given, or its ARN), or all of them")
    .argument("[role]", "the role string or ARN whose entries to remove")
    .action(async (role) => {
      const removed = await clearCache(app.paths, role);
      app.output.info(`Removed ${removed} cached credential ${removed === 1 ? "entry" : "entries"}`);
    });
}
