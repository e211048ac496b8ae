import { loadConfig, type LoadConfigInput } from "../../src/config/load.ts";
import { defaults, envName, KEYS } from "../../src/config/schema.ts";
import { WeepError } from "../../src/errors.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";

function input(files: Record<string, string>, overrides: Partial<LoadConfigInput> = {}): LoadConfigInput {
  return {
    userFile: "/home/u/.aws/weep/weep.yaml",
    env: () => undefined,
    readText: (path) => Promise.resolve(files[path]),
    ...overrides,
  };
}

Deno.test("defaults cover every key of weep's schema", () => {
  const config = defaults();
  assertEquals(config.authentication_method, "challenge");
  assertEquals(config.server.port, 9091);
  assertEquals(config.server.http_timeout, 20);
  assertEquals(config.aws.region, "us-east-1");
  assertEquals(config.cache.min_remaining, 1200);
  assertEquals(KEYS.length > 30, true);
});

Deno.test("env names upper-case the key path and turn dots into underscores", () => {
  assertEquals(envName("consoleme_url"), "WEEP_CONSOLEME_URL");
  assertEquals(envName("challenge_settings.user"), "WEEP_CHALLENGE_SETTINGS_USER");
  assertEquals(envName("cache.min_remaining"), "WEEP_CACHE_MIN_REMAINING");
});

Deno.test("layers apply in order: embedded, user file, extra file, environment, flags", async () => {
  const files = {
    "/home/u/.aws/weep/weep.yaml": "consoleme_url: https://file.example.com/\naws:\n  region: eu-west-1\n",
    "/tmp/extra.yaml": "server:\n  port: 9999\n",
  };
  const env: Record<string, string> = { WEEP_CHALLENGE_SETTINGS_USER: "alice@example.com" };
  const loaded = await loadConfig(input(files, {
    embedded: "consoleme_url: https://embedded.example.com\nserver:\n  port: 1234\n  address: 127.0.0.2\n",
    extraFile: "/tmp/extra.yaml",
    env: (name) => env[name],
    flags: { "aws.region": "ap-south-1" },
  }));
  assertEquals(loaded.config.consoleme_url, "https://file.example.com");
  assertEquals(loaded.config.server.port, 9999);
  assertEquals(loaded.config.server.address, "127.0.0.2");
  assertEquals(loaded.config.challenge_settings.user, "alice@example.com");
  assertEquals(loaded.config.aws.region, "ap-south-1");
  assertEquals(loaded.sources.get("server.address"), "embedded");
  assertEquals(loaded.sources.get("server.port"), "/tmp/extra.yaml");
  assertEquals(loaded.sources.get("challenge_settings.user"), "environment");
  assertEquals(loaded.sources.get("aws.region"), "flags");
  assertEquals(loaded.sources.get("log_level"), "default");
});

Deno.test("--config replaces the user file and the embedded layer", async () => {
  const files = {
    "/home/u/.aws/weep/weep.yaml": "consoleme_url: https://file.example.com\n",
    "/home/u/.aws/other.yaml": "challenge_settings:\n  user: bob\n",
  };
  const loaded = await loadConfig(input(files, {
    embedded: "consoleme_url: https://embedded.example.com\n",
    configFile: "/home/u/.aws/other.yaml",
  }));
  assertEquals(loaded.config.consoleme_url, "");
  assertEquals(loaded.config.challenge_settings.user, "bob");
  assertEquals(loaded.files, ["/home/u/.aws/other.yaml"]);
});

Deno.test("keys are case-insensitive and the old port alias still works", async () => {
  const loaded = await loadConfig(input({
    "/home/u/.aws/weep/weep.yaml":
      "ConsoleMe_URL: https://cm.example.com\nserver:\n  ecs_credential_provider_port: 9090\n",
  }));
  assertEquals(loaded.config.consoleme_url, "https://cm.example.com");
  assertEquals(loaded.config.server.port, 9090);
});

Deno.test("a wrong type names the file, the key and the expected form", async () => {
  const error = await assertRejects(
    () => loadConfig(input({ "/home/u/.aws/weep/weep.yaml": "server:\n  port: lots\n" })),
    'Invalid config in "/home/u/.aws/weep/weep.yaml": key "server.port" must be an integer from 0 to 65535',
  );
  assert(error instanceof WeepError);
});

Deno.test("a malformed URL is an error; trailing slashes are normalised away", async () => {
  await assertRejects(
    () => loadConfig(input({ "/home/u/.aws/weep/weep.yaml": "consoleme_url: consoleme.example.com\n" })),
    'key "consoleme_url" must be an http:// or https:// URL',
  );
  const loaded = await loadConfig(
    input({ "/home/u/.aws/weep/weep.yaml": "consoleme_url: https://cm.example.com///\n" }),
  );
  assertEquals(loaded.config.consoleme_url, "https://cm.example.com");
});

Deno.test("an unknown key is a warning, not an error", async () => {
  const loaded = await loadConfig(
    input({ "/home/u/.aws/weep/weep.yaml": "swag:\n  enabled: true\nfoo: 1\n" }),
  );
  assertEquals(loaded.warnings, [
    'Unknown config key "swag.enabled" in "/home/u/.aws/weep/weep.yaml" is ignored',
    'Unknown config key "foo" in "/home/u/.aws/weep/weep.yaml" is ignored',
  ]);
});

Deno.test("environment values are typed per key and validated", async () => {
  const env: Record<string, string> = {
    WEEP_SERVER_PORT: "8080",
    WEEP_SERVER_ENFORCE_IMDSV2: "false",
    WEEP_MTLS_SETTINGS_CERTS: "a.pem, b.pem",
    WEEP_CACHE_MIN_REMAINING: "30m",
  };
  const loaded = await loadConfig(input({}, { env: (name) => env[name] }));
  assertEquals(loaded.config.server.port, 8080);
  assertEquals(loaded.config.server.enforce_imdsv2, false);
  assertEquals(loaded.config.mtls_settings.certs, ["a.pem", "b.pem"]);
  assertEquals(loaded.config.cache.min_remaining, 1800);
  const error = await assertRejects(() =>
    loadConfig(input({}, { env: (n) => n === "WEEP_SERVER_PORT" ? "x" : undefined }))
  );
  assertStringIncludes(error.message, 'Invalid config in "environment variable WEEP_SERVER_PORT"');
});

Deno.test("a missing --extra-config-file is an error; YAML syntax errors name the file", async () => {
  await assertRejects(
    () => loadConfig(input({}, { extraFile: "/nope.yaml" })),
    'Cannot read config file "/nope.yaml": it does not exist',
  );
  await assertRejects(
    () => loadConfig(input({ "/home/u/.aws/weep/weep.yaml": "a: [1\n" })),
    'Cannot parse config file "/home/u/.aws/weep/weep.yaml"',
  );
});

Deno.test("lists are replaced whole, maps merge key by key", async () => {
  const loaded = await loadConfig(input({
    "/home/u/.aws/weep/weep.yaml": "mtls_settings:\n  certs: [a, b]\naws-profiles:\n  dev: arn:dev\n",
    "/x.yaml": "mtls_settings:\n  certs: [c]\naws-profiles:\n  prod: arn:prod\n",
  }, { extraFile: "/x.yaml" }));
  assertEquals(loaded.config.mtls_settings.certs, ["c"]);
  assertEquals(loaded.config["aws-profiles"], { dev: "arn:dev", prod: "arn:prod" });
});
