/**
 * `doctor`'s checks of the user's AWS files: do botocore and the JavaScript SDK read them (and read them the
 * same way), which profile names some SDK ignores, which `credential_process` lines never run because
 * something takes precedence, how big the config is, and who else may read the files. Pure.
 *
 * @module
 */

import { SLOW_PROFILES, slowdownText } from "../aws/config_cost.ts";
import {
  checkIniText,
  type FileKind,
  listSections,
  type SectionSummary,
  SHADOWING_KEYS,
} from "../aws/ini/config_file.ts";
import { readProcessCommand } from "../aws/process_command.ts";
import { checkProfileName } from "../aws/ini/profile_name.ts";
import { type CheckResult, limited, result } from "./report.ts";

/** An AWS file as doctor sees it. */
export interface AwsFileFacts {
  path: string;
  kind: FileKind;
  /** The text; `undefined` when the file does not exist or could not be read. */
  text: string | undefined;
  /** Why it could not be read. */
  error?: string;
}

/** The sections of a file, or none when it is missing or unreadable. */
export function sectionsOf(file: AwsFileFacts): SectionSummary[] {
  if (file.text === undefined) return [];
  try {
    return listSections(file.text, file.kind);
  } catch {
    return [];
  }
}

/** botocore rejects the whole file for any problem; values with ` #` or ` ;` read differently in the JS SDK. */
export function checkFileParses(file: AwsFileFacts): CheckResult {
  const title = file.kind === "config" ? "AWS config file" : "AWS credentials file";
  if (file.error !== undefined) return result(title, "fail", `cannot read "${file.path}": ${file.error}`);
  if (file.text === undefined) return result(title, "ok", `"${file.path}" does not exist`);
  const problems = checkIniText(file.text, file.kind);
  if (problems.length) {
    return result(title, "fail", `the AWS CLI and boto3 reject "${file.path}"`, [
      ...limited(problems.map((p) => `line ${p.line}: ${p.message}`)),
      "Fix: correct these lines by hand; until then no profile in the file works with the AWS CLI",
    ]);
  }
  const sections = sectionsOf(file);
  const differing: string[] = [];
  for (const section of sections) {
    for (const [key, value] of section.keys) {
      if (/\s[#;]/.test(value)) differing.push(`[${section.header}] line ${section.line}: ${key}`);
    }
  }
  const profiles = sections.filter((s) => s.kind === "profile").length;
  if (differing.length) {
    return result(title, "warn", `"${file.path}" has values that AWS tools read differently`, [
      ...limited(differing),
      'botocore keeps " # text" or " ; text" as part of the value; the JavaScript SDK cuts it off as a comment',
      "Fix: move such comments onto their own line",
    ]);
  }
  return result(
    title,
    "ok",
    `"${file.path}": ${profiles} profiles, read the same by botocore and the JS SDK`,
  );
}

/** Profile names that botocore does not see as profiles, or that the Java or JavaScript SDK ignore. */
export function checkProfileNames(files: readonly AwsFileFacts[]): CheckResult {
  const lines: string[] = [];
  let oldJs = 0;
  for (const file of files) {
    for (const section of sectionsOf(file)) {
      if (section.kind === "other" && /^profile\s/.test(section.header)) {
        lines.push(
          `[${section.header}] (${file.path}:${section.line}): botocore does not read it as a profile`,
        );
        continue;
      }
      if (section.kind !== "profile") continue;
      const check = checkProfileName(section.name, file.kind);
      if (check.ignoredBy.length) {
        lines.push(
          `"${section.name}" (${file.path}:${section.line}): ignored by ${check.ignoredBy.join(" and ")}`,
        );
      }
      if (check.oldJsIgnores) oldJs++;
    }
  }
  if (lines.length) {
    return result("Profile names", "warn", `${lines.length} profiles some AWS tools ignore`, [
      ...limited(lines),
      "Fix: use only letters, digits and _ - . / @ + : % in profile names (no spaces or quotes)",
    ]);
  }
  const note = oldJs
    ? `; ${oldJs} contain . / % : or +, which JavaScript SDK v3 releases before late 2023 ignore`
    : "";
  return result("Profile names", "ok", `every AWS tool reads every profile name${note}`);
}

/**
 * Profiles whose `credential_process` never runs: the same profile in the credentials file has keys, or the
 * profile has `role_arn`, web identity or `sso_*` keys (botocore uses all of them before `credential_process`).
 * A shadowed profile that runs weep fails the check; another helper's only warns.
 */
export function checkShadowing(config: AwsFileFacts, credentials: AwsFileFacts): CheckResult {
  const keyed = new Map(
    sectionsOf(credentials).filter((s) => s.kind === "profile" && s.keys.has("aws_access_key_id"))
      .map((s) => [s.name, s]),
  );
  const lines: string[] = [];
  let weep = 0;
  for (const section of sectionsOf(config)) {
    const command = section.keys.get("credential_process");
    if (section.kind !== "profile" || !command) continue;
    const reasons: string[] = [];
    const shadow = keyed.get(section.name);
    if (shadow) reasons.push(`[${shadow.header}] in ${credentials.path} (line ${shadow.line}) has keys`);
    const keys = [...section.keys.keys()].filter((key) => SHADOWING_KEYS.test(key));
    if (keys.length) reasons.push(`the profile also sets ${keys.join(", ")}`);
    if (!reasons.length) continue;
    const runsWeep = readProcessCommand(command).kind !== "other";
    if (runsWeep) weep++;
    lines.push(`"${section.name}"${runsWeep ? " (weep)" : ""}: ${reasons.join("; ")}`);
  }
  if (!lines.length) {
    return result("credential_process", "ok", "no credential_process is shadowed by other settings");
  }
  return result(
    "credential_process",
    weep ? "fail" : "warn",
    `${lines.length} profiles never run their credential_process`,
    [
      ...limited(lines),
      "AWS tools use keys in the credentials file, role_arn, web identity and sso_* settings first",
      "Fix: remove the other section or keys, or give one of the profiles another name",
    ],
  );
}

/**
 * Above these, AWS tools start measurably slower: the profile count `generate` warns at (measured, see
 * `config_cost.ts`), a size, and a parse time.
 */
export const SIZE_LIMITS = { bytes: 1024 * 1024, profiles: SLOW_PROFILES, parseMs: 200 } as const;

/** The config's size, profile count and how long it took to parse. */
export function checkConfigSize(file: AwsFileFacts, parseMs: number): CheckResult {
  if (file.text === undefined) return result("Config size", "skip", "no AWS config file");
  const bytes = new TextEncoder().encode(file.text).length;
  const profiles = sectionsOf(file).filter((s) => s.kind === "profile").length;
  const detail = `${Math.ceil(bytes / 1024)} KiB, ${profiles} profiles, parsed in ${parseMs.toFixed(1)} ms`;
  const large = bytes > SIZE_LIMITS.bytes || profiles >= SIZE_LIMITS.profiles ||
    parseMs > SIZE_LIMITS.parseMs;
  if (!large) return result("Config size", "ok", detail);
  return result("Config size", "warn", detail, [
    `AWS tools read the whole file when they start: ${slowdownText(profiles)}`,
    "Fix: weep generate --used --prune keeps profiles only for the roles you used through weep lately " +
    "(or choose roles with --include/--exclude and --prune)",
  ]);
}

/** A file and its permission bits (`null` where the OS has none, e.g. Windows). */
export interface FileMode {
  path: string;
  mode: number | null;
  /** Holds secrets (credentials, login session, cached keys): others reading it is a failure. */
  secret: boolean;
}

/** Files that group or others may read or write. */
export function checkFileModes(files: readonly FileMode[]): CheckResult {
  const loose = files.filter((file) => file.mode !== null && (file.mode & 0o077) !== 0);
  const count = (n: number) => (n === 1 ? "1 file is" : `${n} files are`);
  if (!loose.length) {
    return result("File modes", "ok", `${count(files.length)} private to you (0600 or stricter)`);
  }
  const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");
  return result(
    "File modes",
    loose.some((file) => file.secret) ? "fail" : "warn",
    `${count(loose.length)} readable or writable by others`,
    [
      ...limited(
        loose.map((file) => `${file.path}: ${octal(file.mode!)}${file.secret ? " (holds secrets)" : ""}`),
      ),
      `Fix: chmod 600 ${loose.map((file) => file.path).join(" ")}`,
    ],
  );
}
