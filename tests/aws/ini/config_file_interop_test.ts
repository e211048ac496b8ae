/**
 * The AWS clients themselves read what the editor writes: botocore (AWS CLI, boto3), the JavaScript SDK's
 * loader, and `aws configure list-profiles` of AWS CLI v1 and v2.
 */
import { assert, assertEquals } from "../../support/assert.ts";
import { awsConfigure, botocoreRead, type BotocoreResult, jsSdkRead } from "../../support/aws_readers.ts";
import { requireTool } from "../../support/tools.ts";
import { Random, randomIniFile, randomProfiles } from "../../support/ini_gen.ts";
import { type DesiredProfile, listSections, planProfiles } from "../../../src/aws/ini/config_file.ts";
import type { FileKind } from "../../../src/aws/ini/ini_sections.ts";
import { checkProfileName, JS_SDK } from "../../../src/aws/ini/profile_name.ts";

const SEEDS = 40;

interface Case {
  kind: FileKind;
  original: string;
  generated: string;
  added: DesiredProfile[];
}

function cases(): Case[] {
  const out: Case[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const kind of ["config", "credentials"] as const) {
      const random = new Random(seed * 7919);
      const original = randomIniFile(random, { kind });
      const desired = randomProfiles(random, kind);
      const plan = planProfiles(original, desired, { kind });
      out.push({
        kind,
        original,
        generated: plan.text,
        added: desired.filter((d) => plan.added.includes(d.name)),
      });
    }
  }
  return out;
}

async function withFiles<T>(
  texts: string[],
  fn: (paths: string[], missing: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "weep-interop-" });
  try {
    const paths = await Promise.all(texts.map(async (text, i) => {
      await Deno.writeTextFile(`${dir}/${i}.ini`, text);
      return `${dir}/${i}.ini`;
    }));
    return await fn(paths, `${dir}/missing`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function profilesOf(result: BotocoreResult | undefined): Record<string, Record<string, unknown>> {
  assert(result !== undefined && "profiles" in result, `botocore failed: ${JSON.stringify(result)}`);
  return result.profiles;
}

/** botocore's view of a value: `key =` followed by indented lines becomes a dictionary. */
function botocoreValue(value: string): unknown {
  if (!value.startsWith("\n")) return value;
  const nested: Record<string, string> = {};
  for (const line of value.split("\n").map((l) => l.trim()).filter((l) => l !== "")) {
    const at = line.indexOf("=");
    nested[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return nested;
}

Deno.test("botocore reads the original profiles unchanged plus every generated one", async () => {
  const python = await requireTool("python3 with botocore");
  if (!python) return;
  const all = cases();
  await withFiles(all.flatMap((c) => [c.original, c.generated]), async (paths) => {
    const results = await botocoreRead(
      python,
      all.flatMap((c, i) => [
        { kind: c.kind, path: paths[2 * i] as string },
        { kind: c.kind, path: paths[2 * i + 1] as string },
      ]),
    );
    all.forEach((c, i) => {
      const before = profilesOf(results[2 * i]);
      const after = results[2 * i + 1];
      const expected = { ...before };
      for (const p of c.added) expected[p.name] = Object.fromEntries(p.keys);
      assertEquals(profilesOf(after), expected, `case ${i}`);
      assertEquals((after as { other: unknown }).other, (results[2 * i] as { other: unknown }).other);
      // The editor's own model of the file agrees with botocore's.
      const ours: Record<string, Record<string, unknown>> = {};
      for (const s of listSections(c.original, c.kind).filter((s) => s.kind === "profile")) {
        ours[s.name] = Object.fromEntries([...s.keys].map(([k, v]) => [k, botocoreValue(v)]));
      }
      assertEquals(ours, before, `case ${i}: model`);
    });
  });
});

Deno.test("the JavaScript SDK loader reads the original profiles unchanged plus every generated one", async () => {
  const all = cases();
  await withFiles(all.flatMap((c) => [c.original, c.generated]), async (paths, missing) => {
    for (const [i, c] of all.entries()) {
      const read = async (path: string) => {
        const loaded = c.kind === "config" ? await jsSdkRead(path, missing) : await jsSdkRead(missing, path);
        return c.kind === "config" ? loaded.configFile : loaded.credentialsFile;
      };
      const before = await read(paths[2 * i] as string);
      const expected = { ...before };
      for (const p of c.added) {
        if (checkProfileName(p.name, c.kind).ignoredBy.includes(JS_SDK)) continue;
        expected[p.name] = Object.fromEntries(p.keys);
      }
      assertEquals(await read(paths[2 * i + 1] as string), expected, `case ${i}`);
    }
  });
});

Deno.test("the AWS CLI v1 and v2 see every generated profile and its value", async () => {
  const cli2 = await requireTool("AWS CLI v2");
  const cli1 = await requireTool("AWS CLI v1");
  if (!cli2 || !cli1) return;
  const original = "# mine\n[default]\nregion = us-east-1\n[profile dev]\ns3 =\n  addressing_style = path\n";
  const names = [
    "arn:aws:iam::123456789012:role/team/deployer",
    "arn:aws:iam::1:role/a=b,c",
    "prod-app",
    "dev",
  ];
  const desired = names.map((name) => ({
    name,
    keys: [["credential_process", `weep credential_process ${name}`] as const],
  }));
  const credentials = planProfiles("[only-creds]\naws_access_key_id = AKIA\n", [{
    name: "file-profile",
    keys: [["aws_access_key_id", "ASIA"], ["aws_secret_access_key", "s"], ["aws_session_token", "t"]],
  }], { kind: "credentials" }).text;
  // Each CLI start costs about half a second, so one CRLF file (LF is covered by the botocore tests above).
  const plan = planProfiles(original.replaceAll("\n", "\r\n"), desired, { kind: "config" });
  assertEquals(plan.skipped.map((s) => s.name), ["dev"]);
  await withFiles([plan.text, credentials.replaceAll("\n", "\r\n")], async ([config, creds]) => {
    // AWS CLI v1 has no `configure list-profiles`.
    const get = (command: string, key: string, profile: string) =>
      awsConfigure(command, ["get", key, "--profile", profile], config!, creds!);
    const [listed, v2Value, v1Value, v1Token] = await Promise.all([
      awsConfigure(cli2, ["list-profiles"], config!, creds!),
      get(cli2, "credential_process", names[0]!),
      get(cli1, "credential_process", names[1]!),
      get(cli1, "aws_session_token", "file-profile"),
    ]);
    assertEquals(
      [...new Set(listed)].sort(),
      ["default", "dev", "prod-app", ...names.slice(0, 2), "only-creds", "file-profile"].sort(),
    );
    assertEquals([v2Value, v1Value, v1Token], [
      [`weep credential_process ${names[0]}`],
      [`weep credential_process ${names[1]}`],
      ["t"],
    ]);
  });
});
