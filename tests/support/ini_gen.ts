/**
 * Seeded random AWS config and credentials files (every construct users write: comments, blank lines,
 * nested blocks, sso-session and services sections, unknown sections, odd spacing, LF/CRLF/mixed endings,
 * with or without a final newline) and random sets of weep profiles, for property tests.
 *
 * @module
 */

import type { DesiredProfile, ProfileOwner } from "../../src/aws/ini/config_file.ts";

/** A seeded pseudo-random source (mulberry32). */
export class Random {
  #state: number;

  /** Starts the sequence for `seed`. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Up to `max` distinct elements of `items`, in random order. */
  some<T>(items: readonly T[], max: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    for (let n = this.int(0, Math.min(max, pool.length)); n > 0; n--) {
      out.push(...pool.splice(this.int(0, pool.length - 1), 1));
    }
    return out;
  }
}

const USER_PROFILES = [
  "dev",
  "prod",
  "team.a",
  "x@y",
  "ops_1",
  "arn:aws:iam::111111111111:role/app",
  "a+b",
  "50%",
];
const KEYS = [
  "region",
  "output",
  "role_arn",
  "source_profile",
  "cli_pager",
  "duration_seconds",
  "mfa_serial",
  "x_key",
];
const VALUES = [
  "us-east-1",
  "json",
  "012345678901",
  "a=b",
  "https://example.com/x?y=1&z=2",
  "C:\\Users\\me\\bin\\tool.exe",
  "value#hash",
  "many   inner   spaces",
  "\u00fcn\u00efcode \u2713",
  "arn:aws:iam::222222222222:role/team/deployer",
];
const COMMENTS = ["# a comment", "; another", "#", "  # indented", "## ---- work ----", "# [profile fake]"];

/** Options for {@linkcode randomIniFile}. */
export interface FileOptions {
  kind: "config" | "credentials";
}

/** A random file botocore accepts, with no weep profiles in it. */
export function randomIniFile(random: Random, options: FileOptions): string {
  const out: string[] = [];
  const eolMode = random.pick(["lf", "crlf", "mixed"] as const);
  const filler = () => {
    for (let n = random.int(0, 2); n > 0; n--) out.push(random.chance(0.5) ? "" : random.pick(COMMENTS));
  };
  filler();
  const headers = new Set<string>();
  const addSection = (header: string, nested: boolean) => {
    if (headers.has(header)) return;
    headers.add(header);
    // Headers stay unindented: after a key, an indented line continues that key's value.
    out.push(random.pick([`[${header}]`, `[${header}]`, `[${header}]   `, `[${header}] ; note`]));
    const keys = random.some(nested ? ["s3", "sts", "ec2"] : KEYS, 4);
    for (const key of keys) {
      if (nested || random.chance(0.15)) {
        out.push(`${key} =`);
        const indent = random.pick(["  ", "    ", "\t"]);
        for (const sub of random.some(["endpoint_url", "max_concurrent_requests", "addressing_style"], 3)) {
          if (random.chance(0.2)) out.push(random.pick(["", `${indent}# inner comment`]));
          out.push(`${indent}${sub} = ${random.pick(VALUES)}`);
        }
        if (out.at(-1)?.endsWith("=")) out.push(`${indent}endpoint_url = http://localhost:4566`);
      } else {
        out.push(random.pick([`${key} = `, `${key}=`, `${key} =`, `${key}\t=\t`]) + random.pick(VALUES));
      }
      if (random.chance(0.15)) out.push(random.pick(COMMENTS));
    }
    filler();
  };
  for (let n = random.int(0, 6); n > 0; n--) {
    const choice = random.int(0, 9);
    if (options.kind === "credentials") addSection(random.pick([...USER_PROFILES, "default"]), false);
    else if (choice < 5) addSection(`profile ${random.pick(USER_PROFILES)}`, false);
    else if (choice === 5 && !headers.has("profile default")) addSection("default", false);
    else if (choice === 6) addSection(`sso-session ${random.pick(["corp", "corp.eu"])}`, false);
    else if (choice === 7) addSection(`services ${random.pick(["local", "dev"])}`, true);
    else addSection(random.pick(["plugins", "preview", "custom section"]), false);
  }
  const eols = out.map(() =>
    eolMode === "lf" ? "\n" : eolMode === "crlf" ? "\r\n" : random.pick(["\n", "\r\n"])
  );
  let text = out.map((line, i) => line + eols[i]).join("");
  if (random.chance(0.3)) text = text.replace(/\r?\n$/, "");
  return text;
}

const ROLE_NAMES = [
  "arn:aws:iam::123456789012:role/app_role",
  "arn:aws:iam::123456789012:role/team/deployer",
  "arn:aws:iam::210987654321:role/admin",
  "arn:aws:iam::210987654321:role/a=b,c",
  "prod-app-role",
  "prod-team/deployer",
  "210987654321-admin",
  "default",
];

/** A random set of weep profiles; some names may be those of user profiles in {@linkcode randomIniFile}. */
export function randomProfiles(random: Random, kind: "config" | "credentials"): DesiredProfile[] {
  const names = random.some([...ROLE_NAMES, ...USER_PROFILES], 8);
  return names.map((name) => ({
    name,
    keys: kind === "config"
      ? [["credential_process", `${random.pick(["weep", "/usr/local/bin/weep"])} credential_process ${name}`]]
      : [["aws_access_key_id", `ASIA${random.int(1000, 9999)}`], ["aws_secret_access_key", "s3cr3t/+="], [
        "expiration",
        `${random.int(1700000000, 1800000000)}`,
      ]],
  }));
}

/** Role ARNs two ConsoleMes may both list, so that their profiles' names can collide. */
const ORIGIN_ROLES = [
  "arn:aws:iam::123456789012:role/app_role",
  "arn:aws:iam::123456789012:role/team/deployer",
  "arn:aws:iam::210987654321:role/admin",
  "arn:aws:iam::210987654321:role/app_role",
  "arn:aws:iam::111111111111:role/app",
  "arn:aws:iam::333333333333:role/reader",
];

/** How a run names profiles: by ARN, or a `--pretty`-like `<account>-<role>`. */
export type Naming = "arn" | "pretty";

/** The name of `arn`'s profile under `naming`. */
export function profileNameFor(arn: string, naming: Naming): string {
  if (naming === "arn") return arn;
  const [, , , , account, resource] = arn.split(":");
  return `${account}-${(resource ?? "").replace(/^role\//, "").replaceAll("_", "-")}`;
}

/** A random run of `generate` for the ConsoleMe at `origin`: some roles, named one way. */
export function randomOriginRun(
  random: Random,
  origin: string,
): { desired: (DesiredProfile & { owner: ProfileOwner })[]; naming: Naming } {
  const naming = random.pick(["arn", "pretty"] as const);
  const desired = random.some(ORIGIN_ROLES, ORIGIN_ROLES.length).map((arn) => ({
    name: profileNameFor(arn, naming),
    keys: [["credential_process", `weep credential_process ${arn}`]] as const,
    owner: { origin, role: arn },
  }));
  return { desired, naming };
}
