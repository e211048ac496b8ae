/**
 * Turns Deno permission denials into messages that say which path was refused, why, and what to do.
 *
 * @module
 */

/** A user-facing description of a permission denial, or `undefined` when `error` is not one. */
export function describePermissionError(error: unknown): { message: string; hints: string[] } | undefined {
  if (!(error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied)) return undefined;
  const text = error.message;
  const match = /access to "([^"]+)"|(read|write) access to ([^,]+),/i.exec(text) ??
    /Requires (\w+) access to "?([^",]+)"?/i.exec(text);
  const what = match ? match.slice(1).filter(Boolean).join(" ") : text;
  return {
    message: `weep's permissions do not allow this: ${what}`,
    hints: [
      "weep may read and write only ~/.aws (and the files AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name)",
      "Keep weep's files under ~/.aws/weep/, or reinstall with `deno task install` after setting those variables",
    ],
  };
}
