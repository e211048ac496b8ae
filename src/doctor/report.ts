/**
 * The results of `weep doctor`'s checks and the report people read: one line per check with its status,
 * what was found, and for problems what to do. Every line is made terminal-safe (`outsideText`): details may
 * quote ConsoleMe.
 *
 * @module
 */

import { outsideText } from "../platform/outside_text.ts";

/** How a check came out: `warn` is worth knowing but does not fail `doctor`; `skip` could not run. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One check's outcome. */
export interface CheckResult {
  /** A short name: `Config`, `ConsoleMe`, `AWS config`, ... */
  title: string;
  status: CheckStatus;
  /** What was found, one line. */
  detail: string;
  /** Details and what to do, one line each (shown under the check). */
  lines?: string[];
}

/** At most ten detail lines, then how many more there are. */
export function limited(lines: string[], limit = 10): string[] {
  return lines.length > limit ? [...lines.slice(0, limit), `...and ${lines.length - limit} more`] : lines;
}

/** Builds a result; `lines` is left out when empty. */
export function result(
  title: string,
  status: CheckStatus,
  detail: string,
  lines: string[] = [],
): CheckResult {
  return lines.length ? { title, status, detail, lines } : { title, status, detail };
}

const LABELS: Record<CheckStatus, string> = { ok: "[ ok ]", warn: "[warn]", fail: "[FAIL]", skip: "[skip]" };

/** The report: a line per check, its detail lines indented, and a summary line. */
export function formatReport(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const check of results) {
    lines.push(`${LABELS[check.status]} ${check.title}: ${outsideText(check.detail)}`);
    for (const line of check.lines ?? []) lines.push(`       ${outsideText(line)}`);
  }
  const failed = results.filter((check) => check.status === "fail").length;
  const warned = results.filter((check) => check.status === "warn").length;
  lines.push("");
  if (failed) lines.push(`${failed} ${failed === 1 ? "check" : "checks"} failed, ${warned} with warnings`);
  else lines.push(warned ? `All checks passed, ${warned} with warnings` : "All checks passed");
  return lines.join("\n") + "\n";
}

/** 1 when a check failed, else 0. */
export function reportExitCode(results: readonly CheckResult[]): number {
  return results.some((check) => check.status === "fail") ? 1 : 0;
}
