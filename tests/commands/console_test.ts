import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { fakeBrowser } from "../support/browser.ts";
import { runWeep, tempHome } from "../support/cli.ts";

Deno.test("weep console --no-open prints the role's console link on stdout, joined and escaped correctly", async () => {
  await using home = await tempHome();
  await home.writeConfig("consoleme_url: https://cm.example.com/\n");
  const result = await runWeep(home.home, [
    "console",
    "--no-open",
    "arn:aws:iam::123456789012:role/team/a b#c",
  ]);
  assertEquals(result, {
    code: 0,
    stdout: "https://cm.example.com/role/arn:aws:iam::123456789012:role/team/a%20b%23c\n",
    stderr: "",
  });
});

Deno.test("weep console uses consoleme_open_url_override and opens ConsoleMe's home page without a role", async () => {
  await using home = await tempHome();
  await home.writeConfig(
    "consoleme_url: https://api.example.com\nconsoleme_open_url_override: https://ui.example.com/cm\n",
  );
  const result = await runWeep(home.home, ["console", "-x"]);
  assertEquals(result, { code: 0, stdout: "https://ui.example.com/cm/\n", stderr: "" });
  const role = await runWeep(home.home, ["console", "-x", "prod_admin"]);
  assertEquals(role.stdout, "https://ui.example.com/cm/role/prod_admin\n");
});

Deno.test("weep console opens the link with the system opener and says so on stderr", async () => {
  await using home = await tempHome();
  await home.writeConfig("consoleme_url: https://cm.example.com\n");
  const env = await fakeBrowser(home);
  const result = await runWeep(home.home, ["console", "prod_admin"], { env });
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "Opened https://cm.example.com/role/prod_admin in your browser");
  assertEquals(
    await Deno.readTextFile(`${home.home}/opened.txt`),
    "https://cm.example.com/role/prod_admin\n",
  );
});

Deno.test("weep console exits 1 with the link in the message when no browser can be opened", async () => {
  await using home = await tempHome();
  await home.writeConfig("consoleme_url: https://cm.example.com\n");
  const failing = await runWeep(home.home, ["console", "prod_admin"], { env: await fakeBrowser(home, 3) });
  assertEquals(failing.code, 1);
  assertEquals(failing.stdout, "");
  assertStringIncludes(
    failing.stderr,
    "Cannot open a browser; open this link yourself: https://cm.example.com/role/prod_admin",
  );
  const headless = await runWeep(home.home, ["console", "prod_admin"]);
  assertEquals(headless.code, 1);
  assertStringIncludes(headless.stderr, "--no-open");
});

Deno.test("weep console without consoleme_url says how to set it", async () => {
  await using home = await tempHome();
  const result = await runWeep(home.home, ["console", "-x", "role"]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "consoleme_url is not set");
});
