import { openerCommands, type OpenerEnv } from "../../src/platform/opener.ts";
import { assertEquals } from "../support/assert.ts";

function machine(os: OpenerEnv["os"], env: Record<string, string> = {}): OpenerEnv {
  return { os, env: (name) => env[name], osRelease: () => "6.1.0" };
}

Deno.test("openerCommands passes an http(s) URL to the platform's opener", () => {
  const url = "https://consoleme.example.com/challenge_validator/abc";
  assertEquals(openerCommands(url, machine("linux", { DISPLAY: ":0" })), [["xdg-open", url]]);
  assertEquals(openerCommands(url, machine("darwin")), [["open", url]]);
  assertEquals(openerCommands(`${url}?a=1&b=2`, machine("windows")), [
    ["cmd", "/d", "/c", "start", '""', `${url}?a=1^&b=2`],
  ]);
  assertEquals(openerCommands(url, machine("linux")), [], "no display, no opener");
});

Deno.test("openerCommands never passes an option, another scheme or a relative URL to an opener", () => {
  const linux = machine("linux", { DISPLAY: ":0" });
  for (
    const url of [
      "--help",
      "-e/bin/sh",
      "file:///etc/passwd",
      "smb://fileserver/share",
      "javascript:alert(1)",
      "/challenge_validator/x",
      "https:// space",
      "",
    ]
  ) {
    assertEquals(openerCommands(url, linux), [], url);
    assertEquals(openerCommands(url, machine("darwin")), [], url);
    assertEquals(openerCommands(url, machine("windows")), [], url);
  }
});
