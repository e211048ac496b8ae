/**
 * Which profile names each AWS client can read (docs: shared/reference/aws-contract.md section 2), and the
 * section header weep writes for a name.
 *
 * @module
 */

import { classifyHeader, type FileKind } from "./ini_sections.ts";
import { pyStrip } from "./ini_parse.ts";

/** The SDKs named in warnings. */
export const JAVA_SDK = "the AWS SDK for Java v2";
/** The current JavaScript SDK (`@smithy/shared-ini-file-loader`). */
export const JS_SDK = "the AWS SDK for JavaScript v3";
/** JavaScript SDK releases from before its late-2023 fix for `.`, `/`, `%`, `:` and `+` in profile names. */
export const OLD_JS_SDK = "older releases of the AWS SDK for JavaScript v3";

/** What the AWS clients make of a profile name. */
export interface ProfileNameCheck {
  /** botocore (AWS CLI v1 and v2, boto3) reads a profile written under this name back with this name. */
  readable: boolean;
  /** Why botocore cannot read it, when it cannot. */
  reason?: string;
  /** Current SDKs that ignore a profile of this name. */
  ignoredBy: string[];
  /** Only {@linkcode OLD_JS_SDK} ignores it (names with `.`, `/`, `%`, `:` or `+`, such as every ARN). */
  oldJsIgnores: boolean;
}

// Java v2 and current JavaScript v3 (`[\w-@+.%:/]+`) accept the same characters.
const SDK_NAME = /^[A-Za-z0-9_\-@+.%:/]+$/;

/** The header line's text for profile `name`: `[profile NAME]` or `[default]` in config, `[NAME]` in credentials. */
export function profileHeader(name: string, fileKind: FileKind): string {
  return fileKind === "credentials" || name === "default" ? `[${name}]` : `[profile ${name}]`;
}

/** Checks a profile name against botocore (which decides whether weep writes it) and the other SDKs. */
export function checkProfileName(name: string, fileKind: FileKind): ProfileNameCheck {
  const sdkName = SDK_NAME.test(name);
  // Such a name holds no space, quote or backslash: botocore reads `[profile NAME]` back as NAME.
  const reason = sdkName && fileKind === "config" ? undefined : unreadableReason(name, fileKind);
  const ignoredBy: string[] = [];
  if (!sdkName) ignoredBy.push(JAVA_SDK);
  if (fileKind === "config" ? !sdkName : /\s/.test(name)) ignoredBy.push(JS_SDK);
  const oldJsIgnores = fileKind === "config" && ignoredBy.length === 0 && /[./%:+]/.test(name);
  return reason === undefined
    ? { readable: true, ignoredBy, oldJsIgnores }
    : { readable: false, reason, ignoredBy, oldJsIgnores };
}

function unreadableReason(name: string, fileKind: FileKind): string | undefined {
  if (name === "") return "the name is empty";
  if (/[\r\n]/.test(name)) return "the name contains a line break";
  if (pyStrip(name) !== name) return "the name starts or ends with whitespace";
  const header = profileHeader(name, fileKind).slice(1, -1);
  const seen = classifyHeader(header, fileKind);
  if (seen.kind !== "profile" || seen.name !== name) {
    return fileKind === "config"
      ? "botocore splits profile names like a shell, so spaces, quotes and backslashes break them"
      : "configparser reserves the section name DEFAULT";
  }
  return undefined;
}
