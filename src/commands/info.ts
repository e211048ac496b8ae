/**
 * `weep info`: a support bundle without secrets (version, platform, effective configuration with sources,
 * paths, permission set, login state, roles), as one base64 blob to paste into a ticket; `--raw` prints the
 * text. `weep info --decode [BLOB]` turns a blob (argument or stdin) back into the text.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { listSessions, type Session } from "../auth/session.ts";
import { connectConsoleMe } from "../auth/connect.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { WeepPaths } from "../platform/paths.ts";
import type { ConsoleMeClient, ConsoleMeRole } from "../consoleme/types.ts";
import type { WeepConfig } from "../config/schema.ts";
import { type BundleSection, bundleText, decodeBundle, encodeBundle } from "../doctor/bundle.ts";
import { parseInstallRecord } from "../config/install_record.ts";
import { errorText, InterruptedError, UsageError } from "../errors.ts";
import { readTrustedText } from "../platform/state_files.ts";
import {
  type ArtifactKind,
  permissionFlags,
  type PermissionSet,
  permissionSetFor,
} from "../platform/permissions.ts";
import { BUILD, versionLine } from "../version.ts";
import { configRows, formatConfigRows } from "../config/rows.ts";
import { roleTable } from "../app/role_table.ts";

/** Everything the bundle reports; gathered at the edge, rendered by {@linkcode infoText}. */
export interface InfoFacts {
  now: Date;
  version: string;
  runtime: string;
  platform: Record<string, string>;
  config: LoadedConfig | { error: string };
  paths: WeepPaths;
  /** `install.json` as text, if present. */
  install: string | undefined;
  /** The stored logins (one per ConsoleMe and user), or why they could not be read. */
  sessions: Session[] | { error: string };
  roles: ConsoleMeRole[] | { error: string };
}

/** How the stored login looks at `now`: user, ConsoleMe, expiry; never the token. */
export function sessionSummary(session: Session | undefined, now: Date): string {
  if (!session) return "No stored login\n";
  const left = Math.round(session.expiration - now.getTime() / 1000);
  const state = left > 0
    ? `valid for ${Math.ceil(left / 60)} more minutes`
    : `expired ${Math.ceil(-left / 60)} minutes ago`;
  return [
    `user: ${session.user || "(unknown)"}`,
    `consoleme_url: ${session.consoleme_url || "(unknown)"}`,
    `cookie: ${session.cookie_name} (value not shown)`,
    `expires: ${new Date(session.expiration * 1000).toISOString()} (${state})`,
  ].join("\n") + "\n";
}

/** Every stored login, as {@linkcode sessionSummary} shows one; never a token. */
export function sessionsSummary(sessions: Session[] | { error: string }, now: Date): string {
  if (!Array.isArray(sessions)) return `Cannot list the stored logins: ${sessions.error}\n`;
  if (sessions.length === 0) return sessionSummary(undefined, now);
  return sessions.map((session) => sessionSummary(session, now)).join("\n");
}

/** The bundle's sections, in order. Pure; no secret is part of any input. */
export function infoSections(facts: InfoFacts): BundleSection[] {
  const lines = (record: Record<string, string>) =>
    Object.entries(record).map(([key, value]) => `${key}: ${value}`).join("\n");
  const config = "error" in facts.config
    ? `Cannot load the configuration: ${facts.config.error}`
    : `files: ${facts.config.files.join(", ") || "(none)"}\n${formatConfigRows(configRows(facts.config))}`;
  const record = parseInstallRecord(facts.install);
  const install = facts.install === undefined
    ? "no install record"
    : record
    ? `kind: ${record.kind}\npath: ${record.path}`
    : "install.json is not valid";
  const roles = Array.isArray(facts.roles)
    ? `${facts.roles.length} roles\n${facts.roles.length ? roleTable(facts.roles, true) : ""}`
    : `Cannot list roles: ${facts.roles.error}`;
  return [
    { title: "weep support bundle", body: `generated: ${facts.now.toISOString()}` },
    { title: "Version", body: `${facts.version}\n${facts.runtime}` },
    { title: "Platform", body: lines(facts.platform) },
    { title: "Configuration", body: config },
    { title: "Paths", body: lines({ ...facts.paths }) },
    { title: "Install", body: install },
    {
      title: "Permissions",
      body: [`artifact: ${BUILD.artifact ?? "source"}`, ...permissionFlags(permissionsOf(facts.paths))].join(
        "\n",
      ),
    },
    { title: "Login sessions", body: sessionsSummary(facts.sessions, facts.now) },
    { title: "Roles", body: roles },
  ];
}

/** The bundle text for `facts`. */
export function infoText(facts: InfoFacts): string {
  return bundleText(infoSections(facts));
}

function platformFacts(): Record<string, string> {
  const safe = (read: () => string) => {
    try {
      return read();
    } catch (error) {
      return `(unavailable: ${errorText(error)})`;
    }
  };
  return {
    os: Deno.build.os,
    arch: Deno.build.arch,
    target: Deno.build.target,
    os_release: safe(() => Deno.osRelease()),
    hostname: safe(() => Deno.hostname()),
  };
}

/** What `info` needs from outside. */
export interface InfoDeps {
  /** Loads the configuration; a failure becomes part of the bundle. */
  loadConfig: () => Promise<LoadedConfig>;
  /** Connects to ConsoleMe with a login it already has: a support bundle never starts a browser login. */
  connect: (config: WeepConfig) => Promise<Pick<ConsoleMeClient, "getRoles">>;
  paths: WeepPaths;
  now: () => Date;
  signal: AbortSignal;
}

/** Gathers the facts; failures (config, ConsoleMe) become part of the bundle instead of ending the command. */
export async function gatherInfo(deps: InfoDeps): Promise<InfoFacts> {
  const failure = (error: unknown) => {
    if (deps.signal.aborted || error instanceof InterruptedError) throw error;
    return { error: errorText(error) };
  };
  const config = await deps.loadConfig().catch(failure);
  const sessions = await listSessions(deps.paths).then((found) => found.map((f) => f.session)).catch(failure);
  let roles: InfoFacts["roles"] = { error: "skipped: the configuration did not load" };
  if (!("error" in config)) {
    roles = await deps.connect(config.config).then((client) => client.getRoles()).catch(failure);
  }
  return {
    now: deps.now(),
    version: versionLine(),
    runtime: `deno ${Deno.version.deno}, v8 ${Deno.version.v8}, typescript ${Deno.version.typescript}`,
    platform: platformFacts(),
    config,
    paths: deps.paths,
    install: await readTrustedText(
      deps.paths.installFile,
      "the install record",
      "deno task install writes a new one",
    ),
    sessions,
    roles,
  };
}

async function readStdin(): Promise<string> {
  if (Deno.stdin.isTerminal()) return "";
  return await new Response(Deno.stdin.readable).text();
}

/** Registers `weep info`. */
export function registerInfo(program: Command, app: App): void {
  program
    .command("info")
    .description("print a support bundle (no secrets) to attach to a ticket")
    .argument("[blob]", "with --decode: the bundle to decode (default: read stdin)")
    .option("-R, --raw", "print the bundle as plain text instead of base64")
    .option("-d, --decode", "decode a bundle from the argument or stdin")
    .addHelpText(
      "after",
      "\nExamples:\n  weep info > bundle.txt\n  weep info --raw\n  weep info | weep info --decode",
    )
    .action(async (blob, options, command) => {
      if (options.decode) {
        const input = blob ?? await readStdin();
        if (!input.trim()) {
          throw new UsageError("info --decode needs a bundle: pass it as an argument or on stdin", {
            hints: ["Example: weep info | weep info --decode"],
          });
        }
        app.output.stdout(await decodeBundle(input));
        return;
      }
      if (blob !== undefined) {
        throw new UsageError(`info takes an argument only with --decode, got "${blob}"`);
      }
      const globals = globalsOf(command);
      const text = infoText(
        await gatherInfo({
          ...app,
          loadConfig: () => app.loadConfig(globals),
          connect: (config) => connectConsoleMe(app, config, "info", { interactive: false }),
        }),
      );
      app.output.stdout(options.raw ? text : (await encodeBundle(text)) + "\n");
    });
}

/** The permission set this weep was built or run with (release and org builds know only their OS). */
function permissionsOf(paths: WeepPaths): PermissionSet {
  const kind = (BUILD.artifact ?? "source") as ArtifactKind;
  const os = Deno.build.os === "darwin" || Deno.build.os === "windows" ? Deno.build.os : "linux";
  if (kind === "release") return permissionSetFor({ kind, os });
  // An org build also reads its embedded config's mTLS paths; the bundle's config section shows those.
  if (kind === "org") return permissionSetFor({ kind, os, extraRead: [] });
  return permissionSetFor({ kind: kind === "install" ? "install" : "source", paths });
}
