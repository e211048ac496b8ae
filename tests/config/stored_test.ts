import { loadConfig } from "../../src/config/load.ts";
import { withFlags } from "../../src/config/layers.ts";
import { fromStored, storeConfig } from "../../src/config/stored.ts";
import { assertEquals } from "../support/assert.ts";

const loaded = () =>
  loadConfig({
    userFile: "/home/u/.aws/weep/weep.yaml",
    env: (name) => (name === "WEEP_CACHE_MIN_REMAINING" ? "15m" : undefined),
    readText: (path) =>
      Promise.resolve(
        path === "/home/u/.aws/weep/weep.yaml"
          ? "consoleme_url: https://cm.example.com/\nunknown_key: 1\nmetadata:\n  team: a\n"
          : undefined,
      ),
  });

Deno.test("a configuration kept in a config snapshot comes back as loaded: values, sources, warnings, files", async () => {
  const original = await loaded();
  // Through JSON, as the snapshot file holds it.
  const back = await fromStored(JSON.parse(JSON.stringify(await storeConfig(original))));
  assertEquals(back, original);
  assertEquals(back?.sources.get("cache.min_remaining"), "environment");
  assertEquals(
    withFlags(back!, { "aws.region": "eu-west-1" }).config,
    withFlags(original, { "aws.region": "eu-west-1" }).config,
  );
});

Deno.test("a kept configuration from another weep, or not of the stored form, is not used (the files are read)", async () => {
  const stored = await storeConfig(await loaded());
  assertEquals(await fromStored({ ...stored, format: "0123456789abcdef" }), undefined);
  assertEquals(await fromStored(undefined), undefined);
  assertEquals(await fromStored("config"), undefined);
  assertEquals(await fromStored({ ...stored, config: null }), undefined);
  assertEquals(await fromStored({ ...stored, sources: [["url", 1]] }), undefined);
  assertEquals(await fromStored({ ...stored, warnings: "none" }), undefined);
});
