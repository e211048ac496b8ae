import { defaults, getPath, KEYS, type WeepConfig } from "../../src/config/schema.ts";
import { assertEquals } from "../support/assert.ts";

// WeepConfig is derived from KEYS; these fail to compile when the derivation gives a key the wrong type.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const shapes: [
  Equal<WeepConfig["consoleme_url"], string>,
  Equal<WeepConfig["trusted_origins"], string[]>,
  Equal<WeepConfig["authentication_method"], "challenge" | "mtls">,
  Equal<WeepConfig["log_level"], "" | "debug" | "info" | "warn" | "error">,
  Equal<
    WeepConfig["server"],
    { address: string; port: number; enforce_imdsv2: boolean; http_timeout: number }
  >,
  Equal<WeepConfig["cache"], { min_remaining: number; stale_min_remaining: number; failure_window: number }>,
  Equal<WeepConfig["metadata"], { routes: { path: string; data: string }[] }>,
  Equal<WeepConfig["aws-profiles"], Record<string, string>>,
  Equal<
    keyof WeepConfig["mtls_settings"],
    (typeof KEYS)[number]["path"] extends infer P ? P extends `mtls_settings.${infer K}` ? K : never
      : never
  >,
] = [true, true, true, true, true, true, true, true, true];

Deno.test("the configuration type has one property per key, nested at its path, with the key's default", () => {
  assertEquals(shapes.every(Boolean), true);
  const config: WeepConfig = defaults();
  const tops = new Set(KEYS.map((key) => key.path.split(".")[0]!));
  assertEquals(Object.keys(config).sort(), [...tops].sort());
  for (const key of KEYS) assertEquals(getPath(config, key.path), key.default, key.path);
});
