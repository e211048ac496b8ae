import { describePermissionError, parseDenial } from "../../src/platform/denied.ts";
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";

const denied = (message: string) => new Deno.errors.NotCapable(message);

Deno.test("parseDenial reads deno run and compiled-binary messages", () => {
  assertEquals(parseDenial('Requires read access to "/tmp/x.yaml", run again with the --allow-read flag'), {
    access: "read",
    target: "/tmp/x.yaml",
  });
  assertEquals(
    parseDenial(
      'Requires write access to "C:\\Temp\\a b", specify the required permissions during compilation using ' +
        "`deno compile --allow-write`",
    ),
    { access: "write", target: "C:\\Temp\\a b" },
  );
  assertEquals(parseDenial("Requires read access to <CWD>, run again with the --allow-read flag"), {
    access: "read",
    target: "<CWD>",
  });
  assertEquals(parseDenial("something else"), undefined);
});

Deno.test("a denied path names the path and, per build, how to get a weep that allows it", () => {
  const error = denied('Requires read access to "/etc/weep.yaml", run again with the --allow-read flag');
  const source = describePermissionError(error, "source", "linux")!;
  assertEquals(source.message, `Cannot read "/etc/weep.yaml": this weep's permissions do not allow it`);
  assertStringIncludes(source.hints.join("\n"), "may read and write only ~/.aws");

  const install = describePermissionError(error, "install", "linux")!;
  assertStringIncludes(
    install.hints.join("\n"),
    "set AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE and run",
  );
  assertStringIncludes(install.hints.join("\n"), "org build");

  const release = describePermissionError(error, "release", "darwin")!;
  assertStringIncludes(
    release.hints[0]!,
    "A release binary may read and write only under the home directories",
  );
  assertStringIncludes(release.hints[0]!, "/Users, /var/root, /private/var/root");
  assertStringIncludes(release.hints[1]!, "deno task install");
  assertStringIncludes(release.hints[1]!, "org build");

  const org = describePermissionError(error, "org", "windows")!;
  assertStringIncludes(
    org.hints[0]!,
    "This org build may read and write only under the home directories (C:\\Users)",
  );
});

Deno.test("run, env and OS denials get their own messages; other errors are not denials", () => {
  const run = describePermissionError(
    denied('Requires run access to "firefox", run again with the --allow-run flag'),
  );
  assertEquals(run?.message, `Cannot run "firefox": this weep's permissions do not allow it`);
  const env = describePermissionError(
    denied('Requires env access to "EDITOR", run again with the --allow-env flag'),
  );
  assertEquals(
    env?.message,
    `Cannot read the environment variable "EDITOR": this weep's permissions do not allow it`,
  );
  const os = describePermissionError(
    new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/home/alice/.aws/config'"),
  );
  assertEquals(os?.message, `Cannot access "/home/alice/.aws/config": the operating system denied it`);
  assertEquals(describePermissionError(new Error("boom")), undefined);
});

Deno.test("weep denied a config file outside ~/.aws says which path, why, and the way out", async () => {
  await using home = await tempHome();
  const outside = await Deno.makeTempDir({ prefix: "weep-outside-" });
  try {
    await Deno.writeTextFile(`${outside}/x.yaml`, "consoleme_url: https://cm.example.com\n");
    const result = await runWeep(home.home, ["--config", `${outside}/x.yaml`, "config"]);
    assertEquals(result.code, 1);
    assertEquals(result.stdout, "");
    assertStringIncludes(
      result.stderr,
      `error: Cannot read "${outside}/x.yaml": this weep's permissions do not allow it\n`,
    );
    assertStringIncludes(result.stderr, "may read and write only ~/.aws");
    assertStringIncludes(result.stderr, "deno task install");
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});
