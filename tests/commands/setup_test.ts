import { imdsRoutingScript, routingTarget } from "../../src/server/imds_routing.ts";
import { URL_OPENERS } from "../../src/platform/permissions.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../support/assert.ts";
import { runWeep, tempHome } from "../support/cli.ts";
import { requireTool, runTool } from "../support/tools.ts";

Deno.test("setup's routing: iptables on Linux and pf on macOS, to weep serve's address and port", () => {
  assertEquals(
    imdsRoutingScript("linux", "127.0.0.1", 9091).split("\n").slice(3),
    [
      "# Undo: sudo iptables -t nat -D OUTPUT -p tcp -d 169.254.169.254 --dport 80 -j DNAT --to-destination " +
      "127.0.0.1:9091",
      "sudo iptables -t nat -A OUTPUT -p tcp -d 169.254.169.254 --dport 80 -j DNAT --to-destination 127.0.0.1:9091",
      "",
    ],
  );
  const mac = imdsRoutingScript("darwin", "0.0.0.0", 9555);
  assertStringIncludes(mac, "sudo ifconfig lo0 alias 169.254.169.254\n");
  assertStringIncludes(
    mac,
    "echo 'rdr pass on lo0 inet proto tcp from any to 169.254.169.254 port 80 -> 127.0.0.1 port 9555' | " +
      "sudo pfctl -a com.apple/weep -f -\nsudo pfctl -E\n",
  );
  assertEquals(routingTarget("10.1.2.3"), "10.1.2.3");
  assertEquals(routingTarget("[::]"), "127.0.0.1");
  assertThrows(() => routingTarget("::1"), 'Cannot route IMDS to weep serve on "::1"');
  assertThrows(() => imdsRoutingScript("linux", "127.0.0.1", 0), "IMDS routing needs a fixed port, not 0");
  assertThrows(
    () => imdsRoutingScript("windows", "127.0.0.1", 9091),
    "weep setup has no IMDS routing for windows",
  );
  // weep could not run them if it wanted to: its permission set starts only the URL openers.
  for (const program of ["sudo", "iptables", "pfctl", "ifconfig", "sh"]) {
    assert(!URL_OPENERS.includes(program));
  }
});

Deno.test("weep setup prints this OS's routing commands with the configured serve port and runs nothing", async () => {
  if (Deno.build.os !== "linux" && Deno.build.os !== "darwin") return;
  await using home = await tempHome();
  await home.writeConfig("server:\n  port: 9555\n");
  const result = await runWeep(home.home, ["setup"]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stdout, imdsRoutingScript(Deno.build.os, "127.0.0.1", 9555));
  assertEquals(
    result.stderr,
    "info: weep did not run these commands; run them yourself, then start weep serve ROLE\n",
  );
  const flags = await runWeep(home.home, ["setup", "-p", "9092", "-a", "0.0.0.0"]);
  assertEquals(flags.stdout, imdsRoutingScript(Deno.build.os, "0.0.0.0", 9092));

  const commit = await runWeep(home.home, ["setup", "--commit"]);
  assertEquals([commit.code, commit.stdout], [2, ""]);
  assertStringIncludes(commit.stderr, "weep setup does not run the routing commands");

  // The script is valid sh and passes shellcheck.
  const script = `${home.home}/setup.sh`;
  await Deno.writeTextFile(script, result.stdout);
  const bash = await requireTool("bash");
  if (bash) {
    assertEquals((await runTool(bash, ["-n", script])) as unknown, { code: 0, stdout: "", stderr: "" });
  }
  const shellcheck = await requireTool("shellcheck");
  if (shellcheck) {
    assertEquals((await runTool(shellcheck, ["-s", "sh", script])) as unknown, {
      code: 0,
      stdout: "",
      stderr: "",
    });
  }
});
