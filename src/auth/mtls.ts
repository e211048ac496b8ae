/**
 * Mutual TLS (`authentication_method: mtls`): find the client certificate, its key and the CA bundle from
 * `mtls_settings`, and build a Deno HTTP client that presents them.
 *
 * @module
 */

import type { WeepConfig } from "../config/schema.ts";
import { isAbsolutePath, joinPath } from "../platform/paths.ts";
import { WeepError } from "../errors.ts";

/** The files an mTLS client uses. */
export interface MtlsFiles {
  cert: string;
  key: string;
  /** CA bundle; `undefined` means the system's trusted roots. */
  ca?: string;
}

/** Machine facts for certificate discovery. */
export interface MtlsEnv {
  home: string;
  os: typeof Deno.build.os;
  /** Whether a file exists and can be read; permission denials count as "no" but are remembered. */
  exists: (path: string) => Promise<boolean>;
}

/** The directories searched on this OS, with `$HOME` expanded. */
export function searchDirs(
  settings: WeepConfig["mtls_settings"],
  env: Pick<MtlsEnv, "home" | "os">,
): string[] {
  const dirs = env.os === "darwin"
    ? settings.darwin
    : env.os === "windows"
    ? settings.windows
    : settings.linux;
  return dirs.map((dir) => dir.replaceAll("$HOME", env.home));
}

/**
 * Finds a certificate and the key that belongs with it: an absolute pair as given, else a cert and key found
 * in the same search directory (never a cert from one directory with a key from another). The CA bundle is
 * searched the same way; an empty `catrust` means the system roots.
 */
export async function findMtlsFiles(settings: WeepConfig["mtls_settings"], env: MtlsEnv): Promise<MtlsFiles> {
  const certs = [...settings.certs, ...(settings.cert ? [settings.cert] : [])];
  const keys = [...settings.keys, ...(settings.key ? [settings.key] : [])];
  const dirs = searchDirs(settings, env);
  const tried: string[] = [];
  const candidates = (
    name: string,
  ) => (isAbsolutePath(name, env.os) ? [name] : dirs.map((dir) => joinPath(env.os, dir, name)));
  const found = new Set<string>();
  const check = async (path: string) => {
    tried.push(path);
    const exists = await env.exists(path);
    if (exists) found.add(path);
    return exists;
  };
  if (certs.length === 0 || keys.length === 0) {
    throw new WeepError("mTLS is selected but no client certificate or key is configured", {
      hints: [
        "Set mtls_settings.certs and mtls_settings.keys (file names or paths) in ~/.aws/weep/weep.yaml",
      ],
    });
  }
  let pair: { cert: string; key: string } | undefined;
  search: for (const cert of certs) {
    for (const key of keys) {
      const certPaths = candidates(cert);
      const keyPaths = candidates(key);
      for (let i = 0; i < Math.max(certPaths.length, keyPaths.length); i++) {
        const certPath = certPaths[Math.min(i, certPaths.length - 1)]!;
        const keyPath = keyPaths[Math.min(i, keyPaths.length - 1)]!;
        // Check both, so the error can list every place weep looked.
        const certFound = await check(certPath);
        const keyFound = await check(keyPath);
        if (certFound && keyFound) {
          pair = { cert: certPath, key: keyPath };
          break search;
        }
      }
    }
  }
  if (!pair) {
    const listed = [...new Set(tried)].map((path) => `  ${path}${found.has(path) ? " (found)" : ""}`);
    const osKey = env.os === "darwin" || env.os === "windows" ? env.os : "linux";
    throw new WeepError("Cannot find an mTLS client certificate and key", {
      hints: [
        ...(listed.length
          ? ["Paths tried:", ...listed]
          : [`No paths to try: mtls_settings.${osKey} lists no directories and the names are not absolute`]),
        ...(found.size
          ? ["A certificate and its key must be in the same directory, or both be given as absolute paths"]
          : []),
        "Check mtls_settings (certs, keys and the directories for this OS); a compiled weep can read only the",
        "certificate directories its build granted (weep's docs/permissions.md)",
      ],
    });
  }
  if (!settings.catrust) return pair;
  for (const path of candidates(settings.catrust)) {
    if (await check(path)) return { ...pair, ca: path };
  }
  throw new WeepError(`Cannot find the mTLS CA bundle "${settings.catrust}"`, {
    hints: ["Paths tried:", ...candidates(settings.catrust).map((path) => `  ${path}`)],
  });
}

/** Builds a Deno HTTP client that presents the certificate and trusts the CA bundle. */
export async function mtlsHttpClient(files: MtlsFiles): Promise<Deno.HttpClient> {
  const read = async (path: string, what: string) => {
    try {
      return await Deno.readTextFile(path);
    } catch (error) {
      throw new WeepError(`Cannot read the mTLS ${what} "${path}": ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  const options: Deno.CreateHttpClientOptions & Deno.TlsCertifiedKeyPem = {
    cert: await read(files.cert, "certificate"),
    key: await read(files.key, "key"),
  };
  if (files.ca) options.caCerts = [await read(files.ca, "CA bundle")];
  try {
    return Deno.createHttpClient(options);
  } catch (error) {
    throw new WeepError(`Cannot use the mTLS certificate "${files.cert}" with key "${files.key}"`, {
      hints: ["Check that the key belongs to the certificate and both are PEM files"],
      cause: error,
    });
  }
}

/** Whether `path` exists as a readable file (permission denials count as "no"). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}
