/**
 * Turns permission denials into messages that say what was refused, that this weep's permissions forbid it
 * (or the operating system did), and how to get a weep that allows it.
 *
 * @module
 */

import { BUILD } from "../version.ts";
import { type ArtifactKind, HOME_ROOTS, type TargetOs, URL_OPENERS } from "./permissions.ts";

/** What a Deno permission error says was refused. */
export interface Denial {
  /** The permission kind: `read`, `write`, `run`, `env`, `sys`, `net`, ... */
  access: string;
  /** The path, program, variable or host, as Deno printed it (`<CWD>` for the working directory). */
  target: string;
}

/** Reads the refused access out of a Deno permission message (`Requires read access to "/x", ...`). */
export function parseDenial(message: string): Denial | undefined {
  const match = /Requires (\w+) access to (?:"(.*?)"(?=,|$)|(<\w+>))/.exec(message);
  if (!match) return undefined;
  return { access: match[1] ?? "", target: match[2] ?? match[3] ?? "" };
}

const WAY_OUT =
  "For another AWS config or credentials file, set AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE " +
  "and run `deno task install` again, or ask your administrators for an org build that grants it";

function fileHints(artifact: ArtifactKind, os: string): string[] {
  switch (artifact) {
    case "install":
      return [
        "This weep was built by `deno task install` and may read and write only ~/.aws and the AWS files " +
        "named when it was installed",
        WAY_OUT,
        "Keep weep's own files under ~/.aws/weep/ (for example --config ~/.aws/weep/other.yaml)",
      ];
    case "release":
    case "org": {
      const roots = (HOME_ROOTS[os as TargetOs] ?? []).join(", ");
      return [
        `${
          artifact === "org" ? "This org build" : "A release binary"
        } may read and write only under the home ` +
        `directories (${roots})${
          artifact === "org" ? " and read the mTLS directories of its embedded config" : ""
        }`,
        "For a file elsewhere, install weep from source with `deno task install` after setting AWS_CONFIG_FILE " +
        "or AWS_SHARED_CREDENTIALS_FILE to it, or ask your administrators for an org build that grants it",
      ];
    }
    default:
      return [
        "weep run from source (deno task weep, the tests, a `deno task install --shim` script) may read and write " +
        "only ~/.aws and the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name",
        "Keep weep's own files under ~/.aws/weep/, or set AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE to the file " +
        "and run again (an installed shim: run `deno task install` again after setting it)",
      ];
  }
}

function artifactOf(value: string | undefined): ArtifactKind {
  return value === "install" || value === "release" || value === "org" ? value : "source";
}

/**
 * A user-facing description of a permission denial, or `undefined` when `error` is not one. `artifact` is the
 * kind of this build (from its build metadata), which decides how to get a weep that allows the access.
 */
export function describePermissionError(
  error: unknown,
  artifact: string | undefined = BUILD.artifact,
  os: string = Deno.build.os,
): { message: string; hints: string[] } | undefined {
  if (error instanceof Deno.errors.PermissionDenied) {
    const path = /'([^']+)'/.exec(error.message)?.[1];
    return {
      message: `${path ? `Cannot access "${path}"` : "Cannot access a file"}: the operating system denied it`,
      hints: ["Check the file's owner and mode (weep creates its files 0600 and directories 0700)"],
    };
  }
  if (!(error instanceof Deno.errors.NotCapable)) return undefined;
  const denial = parseDenial(error.message);
  if (!denial) {
    return {
      message: `This weep's permissions do not allow it: ${error.message}`,
      hints: fileHints(artifactOf(artifact), os),
    };
  }
  const { access, target } = denial;
  const refused = "this weep's permissions do not allow it";
  switch (access) {
    case "read":
    case "write":
      return {
        message: `Cannot ${access} "${target}": ${refused}`,
        hints: fileHints(artifactOf(artifact), os),
      };
    case "run":
      return {
        message: `Cannot run "${target}": ${refused}`,
        hints: [`weep may start only the URL openers ${URL_OPENERS.join(", ")}; open the link yourself`],
      };
    case "env":
      return {
        message: `Cannot read the environment variable "${target}": ${refused}`,
        hints: [
          "This is a bug in weep: it read a variable its permission set does not list; please report it",
        ],
      };
    default:
      return {
        message: `Cannot use ${access} access to "${target}": ${refused}`,
        hints: ["This is a bug in weep: its permission set does not cover what it tried; please report it"],
      };
  }
}
