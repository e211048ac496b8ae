/**
 * `weep file ROLE`: writes a role's credentials into `~/.aws/credentials` (or `--output`) as a weep-managed
 * profile, leaving every other byte of the file as it was; `--auto-refresh` keeps them fresh until Ctrl-C.
 *
 * @module
 */

import { type Command, Option } from "@commander-js/extra-typings";
import { type App, globalsOf, requireRole } from "../app/app.ts";
import {
  type AwsCredentials,
  credentialQuery,
  type CredentialSource,
  formatExpiration,
} from "../aws/credentials.ts";
import { planCredentialsFile, readExpiration } from "../aws/credentials_file.ts";
import { checkAwsFileWritable, editAwsFile, readAwsFile } from "../aws/ini/edit_file.ts";
import { errorText, InterruptedError } from "../errors.ts";
import type { Output } from "../platform/output.ts";
import { sleep } from "../platform/sleep.ts";
import { commandCredentialSource } from "../app/compose.ts";
import { roleOrPick } from "../app/role_picker.ts";
import { absolutePath } from "../platform/paths.ts";
import { requireBaseUrl } from "../auth/connect.ts";
import { consoleMeOrigin } from "../consoleme/origin.ts";

/** The typed input of `file`. */
export interface FileInput {
  role: string;
  /** The profile (section) name. */
  profile: string;
  /** The credentials file. */
  path: string;
  /** Take over a profile weep did not write. */
  force: boolean;
  /** The origin of the ConsoleMe the credentials come from, for the profile's marker. */
  origin: string;
  assumeRoles: string[];
  noIp: boolean;
}

/** What writing needs from outside. */
export interface FileDeps {
  source: CredentialSource;
  locksDir: string;
  output: Output;
  signal?: AbortSignal;
}

/**
 * Writes the role's credentials into the file. The file is checked first, so a profile weep may not touch, a
 * read-only file or another user's file costs no ConsoleMe request; the edit itself is locked and atomic, and
 * leaves the file 0600 (a file others could read is tightened, and the output says so).
 */
export async function writeCredentialsFile(input: FileInput, deps: FileDeps): Promise<AwsCredentials> {
  const options = { path: input.path, force: input.force };
  const owner = (role: string) => ({ origin: input.origin, role });
  planCredentialsFile(await readAwsFile(input.path), input.profile, { ...options, owner: owner(input.role) });
  await checkAwsFileWritable(input.path, true);
  const credentials = await deps.source(
    { role: input.role, assumeRoles: input.assumeRoles, noIp: input.noIp },
    deps.signal,
  );
  const role = credentials.roleArn ?? input.role;
  await editAwsFile(
    input.path,
    deps.locksDir,
    (text) => planCredentialsFile(text, input.profile, { ...options, credentials, owner: owner(role) }),
    { secret: true, say: (message) => deps.output.warn(message) },
  );
  deps.output.info(
    `Wrote credentials for ${role} to profile "${input.profile}" in ${input.path} ` +
      `(expire ${formatExpiration(credentials.expiration)})`,
  );
  return credentials;
}

/** Refresh when less than this is left. */
export const REFRESH_MARGIN_MS = 10 * 60_000;
/** Look at the file at least this often. */
export const CHECK_INTERVAL_MS = 60_000;

/** What the refresh loop needs. */
export interface RefreshLoop {
  /** When the profile's keys expire now (re-read each time); `undefined` counts as expired. */
  expiration(): Promise<Date | undefined>;
  /** Fetches and writes new keys. */
  refresh(): Promise<void>;
  now(): Date;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  signal: AbortSignal;
  warn(message: string): void;
}

/**
 * Keeps the keys fresh until `signal` aborts: when less than {@linkcode REFRESH_MARGIN_MS} is left it
 * refreshes; otherwise it sleeps until then, checking at least every {@linkcode CHECK_INTERVAL_MS}. A failed
 * refresh is reported and tried again a minute later. Resolves (never rejects) once interrupted.
 */
export async function keepRefreshed(loop: RefreshLoop): Promise<void> {
  let justWrote = true;
  while (!loop.signal.aborted) {
    const expiration = await loop.expiration();
    const left = expiration ? expiration.getTime() - loop.now().getTime() : 0;
    let wait = Math.min(CHECK_INTERVAL_MS, Math.max(0, left - REFRESH_MARGIN_MS));
    if (left <= REFRESH_MARGIN_MS) {
      // Credentials that were just written and are already short-lived cannot get better: wait a minute.
      if (!justWrote) {
        try {
          await loop.refresh();
          justWrote = true;
          continue;
        } catch (error) {
          if (loop.signal.aborted || error instanceof InterruptedError) break;
          loop.warn(`Cannot refresh the credentials: ${errorText(error)}; trying again in a minute`);
        }
      }
      wait = CHECK_INTERVAL_MS;
    }
    justWrote = false;
    try {
      await loop.sleep(wait, loop.signal);
    } catch {
      break;
    }
  }
}

/** Registers `weep file`. */
export function registerFile(program: Command, app: App): void {
  program
    .command("file")
    .description("write a role's credentials into ~/.aws/credentials as a profile")
    .argument("[role]", "role ARN or a search string that matches exactly one of your roles (none: pick one)")
    .option("-p, --profile <name>", "the profile to write", "default")
    .option(
      "-o, --output <file>",
      "the credentials file (default: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials)",
    )
    .option("-f, --force", "overwrite a profile that weep did not write")
    .option(
      "-R, --auto-refresh",
      "stay running and refresh the credentials before they expire (Ctrl-C stops)",
    )
    .addOption(new Option("--refresh", "same as --auto-refresh").hideHelp())
    .addHelpText(
      "after",
      "\nExamples:\n  weep file arn:aws:iam::123456789012:role/app_role\n  weep file prod_admin --profile prod\n" +
        "  weep file prod_admin -p prod --auto-refresh",
    )
    .action(async (role, options, command) => {
      const globals = globalsOf(command);
      const { config } = await app.loadConfig(globals);
      const input: FileInput = {
        ...credentialQuery(requireRole(await roleOrPick(app, globals, role, "file"), "file"), globals),
        origin: consoleMeOrigin(requireBaseUrl(config, app.paths)),
        profile: options.profile,
        // Absolute, so that every spelling of one file takes the same lock.
        path: options.output === undefined
          ? app.paths.credentialsFile
          : absolutePath(options.output, Deno.cwd(), Deno.build.os),
        force: Boolean(options.force),
      };
      const deps: FileDeps = {
        source: await commandCredentialSource(app, globals, "file"),
        locksDir: app.paths.locksDir,
        output: app.output,
        signal: app.signal,
      };
      await writeCredentialsFile(input, deps);
      if (!options.autoRefresh && !options.refresh) return;
      app.output.info("Refreshing the credentials before they expire; press Ctrl-C to stop");
      await keepRefreshed({
        expiration: async () =>
          readExpiration(await readAwsFile(input.path).catch(() => undefined), input.profile),
        refresh: async () => void await writeCredentialsFile(input, deps),
        now: app.now,
        sleep,
        signal: app.signal,
        warn: (message) => app.output.warn(message),
      });
    });
}
