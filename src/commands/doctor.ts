/**
 * `weep doctor`: checks weep's setup and the user's AWS files, one line per check with what to fix, and
 * exits 1 when a check fails. The report is the command's output, so it goes to stdout.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { fileExists, findMtlsFiles, mtlsHttpClient } from "../auth/mtls.ts";
import { findSession, isUsable, type Session } from "../auth/session.ts";
import { checkIniText, listSections } from "../aws/ini/config_file.ts";
import { readAwsFile } from "../aws/ini/edit_file.ts";
import { readProcessCommand, windowsSplit } from "../aws/process_command.ts";
import { shlexSplit } from "../text/shlex.ts";
import type { LoadedConfig } from "../config/load.ts";
import { joinPath, type WeepPaths } from "../platform/paths.ts";
import type { Output } from "../platform/output.ts";
import { scanStateFiles } from "../platform/state_scan.ts";
import { type HttpDeps, send } from "../consoleme/http.ts";
import {
  type AwsFileFacts,
  checkConfigSize,
  checkFileModes,
  checkFileParses,
  checkProfileNames,
  checkShadowing,
  type FileMode,
  sectionsOf,
} from "../doctor/aws_checks.ts";
import { parseInstallRecord } from "../config/install_record.ts";
import { type CheckResult, formatReport, reportExitCode, result } from "../doctor/report.ts";
import {
  checkApi,
  checkConfig,
  checkHealth,
  checkInstall,
  checkSession,
  checkStateFiles,
  type Failure,
  type PathLookup,
  type Probe,
  type WeepProfile,
} from "../doctor/weep_checks.ts";
import { errorText, InterruptedError, WeepError } from "../errors.ts";
import { readTrustedText } from "../platform/state_files.ts";
import { describePermissionError } from "../platform/denied.ts";
import { USER_AGENT } from "../version.ts";

const os = Deno.build.os;

function asFailure(signal: AbortSignal) {
  return (error: unknown): Failure => {
    if (signal.aborted || error instanceof InterruptedError) throw error;
    // A file this weep may not read is said as every command says it, not as Deno does (`--allow-read`).
    const denied = describePermissionError(error);
    if (denied) return { error: denied.message, hints: denied.hints };
    return { error: errorText(error), hints: error instanceof WeepError ? error.hints : [] };
  };
}

/** What doctor needs from outside. */
export interface DoctorDeps {
  /** Loads the configuration; a failure is a failed check, not the end of the command. */
  loadConfig: () => Promise<LoadedConfig>;
  paths: WeepPaths;
  /** Reads an environment variable (`PATH`: which weep the profiles run). */
  env: (name: string) => string | undefined;
  now: () => Date;
  signal: AbortSignal;
  /** Where the stored login's token is registered, so that no line can show it. */
  output: Pick<Output, "redact">;
}

/** The ConsoleMe checks: health, API, login. Without a usable config they are skipped. */
async function consoleMeChecks(deps: DoctorDeps, loaded: LoadedConfig | Failure): Promise<CheckResult[]> {
  if ("error" in loaded || !loaded.config.consoleme_url) {
    return ["ConsoleMe", "ConsoleMe API", "Login"].map((title) =>
      result(title, "skip", "needs a valid config")
    );
  }
  const { config } = loaded;
  const base = config.consoleme_url;
  const failure = asFailure(deps.signal);
  const results: CheckResult[] = [];
  const http: HttpDeps = {
    fetch,
    timeoutMs: Math.min(config.server.http_timeout, 10) * 1000,
    signal: deps.signal,
    userAgent: USER_AGENT,
  };
  if (config.authentication_method === "mtls") {
    try {
      const files = await findMtlsFiles(config.mtls_settings, {
        home: deps.paths.home,
        os,
        exists: fileExists,
      });
      http.client = await mtlsHttpClient(files);
      results.push(result("mTLS", "ok", `certificate ${files.cert}, key ${files.key}`));
    } catch (error) {
      const { error: message, hints } = failure(error);
      results.push(result("mTLS", "fail", message, hints));
      return [
        ...results,
        ...["ConsoleMe", "ConsoleMe API"].map((t) => result(t, "skip", "needs the mTLS files")),
      ];
    }
  }
  let session: Session | undefined;
  let refused: Failure | undefined;
  try {
    session = config.authentication_method === "mtls"
      ? undefined
      : await findSession(deps.paths, base, config.challenge_settings.user);
  } catch (error) {
    refused = failure(error); // a session file weep refuses, with its fix
  }
  const usable = session !== undefined && isUsable(session, base, deps.now());
  if (session) deps.output.redact(session.encoded_jwt);
  const headers: Record<string, string> = usable && session
    ? { Cookie: `${session.cookie_name}=${session.encoded_jwt}` }
    : {};
  const health: Probe = await send("GET", `${base}/healthcheck`, {}, http).catch(failure);
  results.push(checkHealth(base, health));
  let rejected = false;
  if ("error" in health) results.push(result("ConsoleMe API", "skip", "ConsoleMe is not reachable"));
  else {
    const api: Probe = await send("GET", `${base}/api/v2/get_roles?all=true`, { headers }, http).catch(
      failure,
    );
    rejected = usable && !("error" in api) && (api.status === 401 || api.status === 403);
    results.push(checkApi(base, api, usable));
  }
  results.push(
    refused ? result("Login", "fail", refused.error, refused.hints) : checkSession({
      method: config.authentication_method,
      baseUrl: base,
      session,
      now: deps.now(),
      rejected,
    }),
  );
  return results;
}

async function awsFile(
  path: string,
  kind: "config" | "credentials",
  signal: AbortSignal,
): Promise<AwsFileFacts> {
  try {
    return { path, kind, text: await readAwsFile(path) };
  } catch (error) {
    return { path, kind, text: undefined, error: asFailure(signal)(error).error };
  }
}

async function modeOf(path: string, secret: boolean): Promise<FileMode | undefined> {
  try {
    return { path, mode: (await Deno.stat(path)).mode, secret };
  } catch {
    return undefined;
  }
}

/** The files doctor looks at for modes: the AWS files (weep's own are in "Weep files"). */
async function fileModes(deps: DoctorDeps): Promise<FileMode[]> {
  const candidates: [string, boolean][] = [
    [deps.paths.configFile, false],
    [deps.paths.credentialsFile, true],
  ];
  const modes = await Promise.all(candidates.map(([path, secret]) => modeOf(path, secret)));
  return modes.filter((mode): mode is FileMode => mode !== undefined);
}

/** Finds `name` in the PATH directories, as a shell would; `"unknown"` when weep may not look. */
function pathLookup(pathEnv: string): PathLookup {
  return (name) => {
    for (const dir of pathEnv.split(os === "windows" ? ";" : ":").filter(Boolean)) {
      const path = joinPath(os, dir, name);
      try {
        if (Deno.statSync(path).isFile) return path;
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        return "unknown";
      }
    }
    return undefined;
  };
}

/** Profiles in the config file whose `credential_process` runs weep, with the program they name. */
export function weepProfiles(config: AwsFileFacts): WeepProfile[] {
  return sectionsOf(config).flatMap((section) => {
    const command = section.keys.get("credential_process");
    if (section.kind !== "profile" || !command || readProcessCommand(command, os).kind === "other") return [];
    const program = (os === "windows" ? windowsSplit(command) : shlexSplit(command))?.[0] ?? "";
    return [{ name: section.name, program }];
  });
}

/** Runs every check and returns the results in report order. */
export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const loaded = await deps.loadConfig().catch(asFailure(deps.signal));
  const results = [checkConfig(loaded, deps.paths, os), ...await consoleMeChecks(deps, loaded)];
  const config = await awsFile(deps.paths.configFile, "config", deps.signal);
  const credentials = await awsFile(deps.paths.credentialsFile, "credentials", deps.signal);
  const started = performance.now();
  if (config.text !== undefined) {
    listSections(config.text, "config");
    checkIniText(config.text, "config");
  }
  const parseMs = performance.now() - started;
  results.push(
    checkFileParses(config),
    checkFileParses(credentials),
    checkProfileNames([config, credentials]),
    checkShadowing(config, credentials),
    checkConfigSize(config, parseMs),
    checkFileModes(await fileModes(deps)),
    checkStateFiles(await scanStateFiles(deps.paths)),
  );
  const record = parseInstallRecord(
    await readTrustedText(deps.paths.installFile, "the install record", "deno task install writes a new one"),
  );
  results.push(checkInstall(record, weepProfiles(config), pathLookup(deps.env("PATH") ?? "")));
  return results;
}

/** Registers `weep doctor`. */
export function registerDoctor(program: Command, app: App): void {
  program
    .command("doctor")
    .description("check weep's setup and your AWS files, and say what to fix")
    .addHelpText(
      "after",
      "\nChecks the config, ConsoleMe (reachable, answering JSON), the login, ~/.aws/config and credentials\n" +
        "(botocore and JS SDK parsing, profile names, shadowed credential_process, size, file modes), weep's\n" +
        "own files in ~/.aws/weep (owner, mode, links) and which weep your profiles run. Exits 1 when a check\n" +
        "fails.",
    )
    .action(async (_options, command) => {
      const globals = globalsOf(command);
      const results = await runDoctor({ ...app, loadConfig: () => app.loadConfig(globals) });
      app.output.stdout(formatReport(results));
      if (reportExitCode(results) !== 0) {
        const failed = results.filter((check) => check.status === "fail").map((check) => check.title);
        throw new WeepError(`Checks failed: ${failed.join(", ")}`, {
          hints: ["See the report on stdout for what to fix"],
        });
      }
    });
}
