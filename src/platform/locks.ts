/**
 * Cross-process file locks with bounded waits. The lock is the OS's (`FsFile.lock`): a process that dies
 * releases it. Next to each lock (not in it: on Windows, others cannot read a locked file), its holder records
 * its PID, what it is doing and until when it may legitimately need the lock, so that a waiter never waits for
 * a holder that stopped (SIGSTOP, a laptop lid closed mid-fetch): past that time the waiter warns with the
 * holder's PID and goes on (or fails, for locks that guard the user's files). Ctrl-C while waiting says what
 * was being waited for. Lock files and holder records are weep's state files (`state_files.ts`): opened
 * without following links, trusted only when they are this user's own, written 0600 in a private directory.
 *
 * @module
 */

import { dirname } from "./paths.ts";
import { InterruptedError, interruption, WeepError } from "../errors.ts";
import { wakeAfter } from "./sleep.ts";
import { ensurePrivateDir, openStateFile, readTrustedText, writeStateFile } from "./state_files.ts";
import { processState } from "./process_state.ts";
import { parseRecord } from "./state_trust.ts";

/** What the holder of a lock wrote about itself. */
export interface LockHolder {
  pid: number;
  /** What it does while holding the lock: `fetching credentials for "prod" from ConsoleMe`. */
  doing: string;
  /** When it took the lock (epoch ms). */
  since: number;
  /** Until when it may legitimately need the lock (epoch ms). */
  until: number;
}

/** How to take a lock and how long to wait for it. */
export interface LockOptions {
  /** What this process will do while holding the lock, for waiters' messages. */
  doing?: string;
  /** How long a holder may legitimately need the lock (default 30 s); how long a waiter waits at least. */
  needMs?: number;
  /**
   * What a waiter does once the holder has overrun: `fail` (default) throws an error naming the holder;
   * `proceed` warns and goes on without the lock ({@linkcode FileLock.held} is then false).
   */
  overrun?: "fail" | "proceed";
  /** Ctrl-C (or SIGTERM): stops waiting with an {@linkcode InterruptedError} naming the holder. */
  signal?: AbortSignal | undefined;
  /** Receives what is waited for (debug, then info once the wait gets long) and the overrun warning. */
  log?: (level: "debug" | "info" | "warn", message: string) => void;
}

/** A lock this process took; release it with `await using` or {@linkcode FileLock.release}. */
export interface FileLock extends AsyncDisposable {
  /** Whether the lock is held: false when a stuck holder was left behind (`overrun: "proceed"`). */
  readonly held: boolean;
  /** Releases the lock. Safe to call twice. */
  release(): Promise<void>;
}

interface Held {
  recordPath: string;
  record: LockHolder;
}

const DEFAULT_NEED_MS = 30_000;
/** After this long, a waiter says what it is waiting for. */
const NOTICE_MS = 5_000;
/** Added to a holder's own `until`: the time to write its result and let go. */
const GRACE_MS = 2_000;
/** The locks this process holds, for every copy of this module: the bundled fast path hands one on. */
const held = processState("heldLocks", () => new Set<Held>());

/** A file kept next to a lock: `cache-<id>.lock` with `holder` is `cache-<id>.holder.json`. */
export function besideLock(lockPath: string, what: string): string {
  return `${lockPath.replace(/\.lock$/, "")}.${what}.json`;
}

/** The file next to a lock where its holder describes itself. */
export function holderPath(lockPath: string): string {
  return besideLock(lockPath, "holder");
}

/** The holder record next to `lockPath`, if it can be read and is this user's own. */
export async function readHolder(lockPath: string): Promise<LockHolder | undefined> {
  const record = await readTrustedText(holderPath(lockPath), "the lock record");
  const { pid, doing, since, until } = parseRecord(record) ?? {};
  if (typeof pid !== "number" || typeof doing !== "string") return undefined;
  if (typeof since !== "number" || typeof until !== "number") return undefined;
  return { pid, doing, since, until };
}

async function writeHolder(entry: Held): Promise<void> {
  // Best effort and without fsync: a waiter that cannot read it only waits its own limit.
  await writeStateFile(entry.recordPath, JSON.stringify(entry.record) + "\n", { sync: false }).catch(
    () => {},
  );
}

/**
 * Tells waiters on every lock this process holds (but `except`) that it now does `doing`, possibly until
 * `until`: a login, or a wait for another lock, legitimately takes longer than the work a lock was taken for.
 */
async function announceHolders(doing: string, until: number, except?: string): Promise<void> {
  for (const entry of held) {
    if (until <= entry.record.until || entry.recordPath === except) continue;
    entry.record = { ...entry.record, doing, until };
    await writeHolder(entry);
  }
}

/** `weep process 4242 (fetching credentials for "prod" from ConsoleMe)`, or `another weep process`. */
export function describeHolder(holder: LockHolder | undefined): string {
  return holder ? `weep process ${holder.pid} (${holder.doing})` : "another weep process";
}

/**
 * Takes an exclusive OS lock on `lockPath` (created 0600 if missing), waiting for another holder at most as
 * long as it may legitimately need the lock: `options.needMs`, or longer while its record says so. The lock
 * file itself is not the lock and may stay on disk.
 */
export async function lockFile(lockPath: string, options: LockOptions = {}): Promise<FileLock> {
  const needMs = options.needMs ?? DEFAULT_NEED_MS;
  const doing = options.doing ?? "holding a weep lock";
  await ensurePrivateDir(dirname(lockPath));
  const file = await openStateFile(lockPath, "lock file");
  let locked: boolean;
  try {
    locked = await file.tryLock(true);
  } catch (error) {
    file.close();
    throw error;
  }
  if (!locked && !(await waitFor(file, lockPath, needMs, options))) {
    return { held: false, release: () => Promise.resolve(), [Symbol.asyncDispose]: () => Promise.resolve() };
  }
  const now = Date.now();
  await announceHolders(doing, now + needMs);
  const record = { pid: Deno.pid, doing, since: now, until: now + needMs };
  const entry: Held = { recordPath: holderPath(lockPath), record };
  held.add(entry);
  await writeHolder(entry);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    held.delete(entry);
    await Deno.remove(entry.recordPath).catch(() => {});
    try {
      await file.unlock();
    } finally {
      file.close();
    }
  };
  return { held: true, release, [Symbol.asyncDispose]: release };
}

/**
 * Waits for the OS to hand `file`'s lock over (true), or until the holder has overrun and `proceed` was
 * asked for (false). Throws on Ctrl-C, and on an overrun with `fail`. When it gives up, the pending lock
 * request is left to finish and let go at once; the file is closed then.
 */
async function waitFor(
  file: Deno.FsFile,
  lockPath: string,
  needMs: number,
  options: LockOptions,
): Promise<boolean> {
  const started = Date.now();
  let deadline = started + needMs;
  let holder = await readHolder(lockPath);
  // Whoever waits on a lock this process holds must now also allow for this wait.
  const extend = async () => {
    if (holder && holder.until + GRACE_MS > deadline) deadline = holder.until + GRACE_MS;
    // Not the lock waited for: in `serve`, one request may wait for a lock another request holds.
    if (holder) {
      await announceHolders(`waiting for ${describeHolder(holder)}`, deadline + needMs, holderPath(lockPath));
    }
  };
  const locking = file.lock(true);
  const abandon = () => {
    locking.then(() => file.unlock()).catch(() => {}).finally(() => closeQuietly(file));
  };
  try {
    await extend();
    options.log?.("debug", `Waiting for ${describeHolder(holder)}`);
    let noticed = false;
    for (;;) {
      const wakeAt = noticed ? deadline : Math.min(deadline, started + NOTICE_MS);
      if (await lockedWithin(locking, wakeAt - Date.now(), options.signal)) return true;
      const now = Date.now();
      if (!noticed && now >= started + NOTICE_MS) {
        noticed = true;
        holder = await readHolder(lockPath) ?? holder;
        options.log?.("info", `Waiting for ${describeHolder(holder)}`);
      }
      if (now < deadline) continue;
      // The holder may have said meanwhile that it needs longer (a login waiting for approval).
      holder = await readHolder(lockPath);
      await extend();
      if (Date.now() < deadline) continue;
      const seconds = Math.round((now - Math.min(holder?.since ?? started, started)) / 1000);
      const stuck = `${capitalise(describeHolder(holder))} has held a lock weep needs for ${seconds} s, ` +
        "longer than it can need";
      if (options.overrun !== "proceed") {
        throw new WeepError(stuck, {
          hints: [
            holder ? `If that process is stuck, end it (kill ${holder.pid}) and try again` : "Try again",
          ],
        });
      }
      options.log?.("warn", `${stuck}; going ahead without it`);
      abandon();
      return false;
    }
  } catch (error) {
    abandon();
    if (!options.signal?.aborted) throw error;
    const reason = interruption(options.signal);
    holder = await readHolder(lockPath) ?? holder;
    throw new InterruptedError(
      `${reason.message} while waiting for ${describeHolder(holder)}`,
      reason.exitCode,
    );
  }
}

/** Whether `locking` settles within `ms`; rejects when `signal` aborts first. */
async function lockedWithin(locking: Promise<void>, ms: number, signal: AbortSignal | undefined) {
  const stop = new AbortController();
  // Waiters are many processes that exit when done (weep serve lives on anyway): the cheaper, uncancelled timer.
  const timer = wakeAfter(Math.max(0, ms), signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
  try {
    return await Promise.race([locking.then(() => true), timer.then(() => false)]);
  } finally {
    stop.abort();
  }
}

function closeQuietly(file: Deno.FsFile): void {
  try {
    file.close();
  } catch {
    // Already closed.
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
