/**
 * The real AWS readers of `~/.aws/config` and `~/.aws/credentials`, for tests that check weep's editor
 * against them: botocore (Python, as the AWS CLI and boto3 use it), the JavaScript SDK's loader and the AWS
 * CLI v1 and v2 themselves.
 *
 * @module
 */

import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";

/** What botocore read from one file: its profiles (config: `profiles`; credentials: every section), or an error. */
export type BotocoreResult =
  | { profiles: Record<string, Record<string, unknown>>; other: Record<string, unknown> }
  | { error: string };

const BOTOCORE_SCRIPT = `
import json, sys
import botocore.configloader as loader
out = []
for kind, path in zip(sys.argv[1::2], sys.argv[2::2]):
    try:
        if kind == "config":
            parsed = loader.load_config(path)
            profiles = parsed.pop("profiles")
            out.append({"profiles": profiles, "other": parsed})
        else:
            out.append({"profiles": loader.raw_config_parse(path), "other": {}})
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e)})
print(json.dumps(out))
`;

/** Reads each file with botocore in one Python process (`python`: the "python3 with botocore" tool). */
export async function botocoreRead(
  python: string,
  files: { kind: "config" | "credentials"; path: string }[],
): Promise<BotocoreResult[]> {
  const args = ["-c", BOTOCORE_SCRIPT, ...files.flatMap((f) => [f.kind, f.path])];
  const result = await new Deno.Command(python, { args, stdout: "piped", stderr: "piped" }).output();
  if (!result.success) throw new Error(`${python} failed: ${new TextDecoder().decode(result.stderr)}`);
  return JSON.parse(new TextDecoder().decode(result.stdout)) as BotocoreResult[];
}

/** Reads a config and a credentials file with the JavaScript SDK's loader (no cache). */
export async function jsSdkRead(configPath: string, credentialsPath: string): Promise<{
  configFile: Record<string, Record<string, string>>;
  credentialsFile: Record<string, Record<string, string>>;
}> {
  const loaded = await loadSharedConfigFiles({
    configFilepath: configPath,
    filepath: credentialsPath,
    ignoreCache: true,
  });
  return loaded as unknown as {
    configFile: Record<string, Record<string, string>>;
    credentialsFile: Record<string, Record<string, string>>;
  };
}

/** Runs `aws configure ARGS...` with the given files; its stdout lines. */
export async function awsConfigure(
  command: string,
  args: string[],
  configPath: string,
  credentialsPath: string,
): Promise<string[]> {
  const result = await new Deno.Command(command, {
    args: ["configure", ...args],
    env: {
      AWS_CONFIG_FILE: configPath,
      AWS_SHARED_CREDENTIALS_FILE: credentialsPath,
      AWS_PAGER: "",
      AWS_EC2_METADATA_DISABLED: "true",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(result.stdout);
  if (!result.success) throw new Error(`${command} failed: ${new TextDecoder().decode(result.stderr)}`);
  return stdout.split(/\r?\n/).filter((line) => line !== "");
}
