import { resourceUrl } from "../../src/commands/open.ts";
import { fakeBrowser } from "../support/browser.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { runWeep } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { loggedInHome } from "../support/logged_in.ts";

Deno.test("resourceUrl checks the ARN before asking ConsoleMe", async () => {
  let asked = 0;
  const client = { getResourceUrl: (_arn: string) => Promise.resolve(`/x/${++asked}`) };
  await assertRejects(() => resourceUrl("arn:aws:s3", "https://cm", client), "Invalid ARN");
  await assertRejects(
    () => resourceUrl("arn:aws:sns::1:topic", "https://cm", client),
    "must include the region",
  );
  assertEquals(asked, 0);
  assertEquals(await resourceUrl("arn:aws:s3:::bucket", "https://cm", client), "https://cm/x/1");
});

Deno.test("weep open -x prints ConsoleMe's page for a resource on stdout", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  cm.addResource("arn:aws:sqs:us-east-1:012345678901:jobs");
  const result = await runWeep(home.home, ["open", "-x", "arn:aws:sqs:us-east-1:012345678901:jobs"]);
  assertEquals(result, {
    code: 0,
    stdout: `${cm.url}/policies/edit/012345678901/sqs/us-east-1/jobs\n`,
    stderr: "",
  });
  const request = cm.requests.find((r) => r.path === "/api/v2/get_resource_url")!;
  assertEquals(new URLSearchParams(request.query).get("arn"), "arn:aws:sqs:us-east-1:012345678901:jobs");
});

Deno.test("weep open keeps the redirect query of console deep links intact", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm, "consoleme_open_url_override: https://ui.example.com/\n");
  const arn = "arn:aws:lambda:us-west-2:012345678902:function:worker";
  cm.addResource(arn);
  const result = await runWeep(home.home, ["open", "--no-open", arn]);
  assertEquals(result.code, 0, result.stderr);
  assertEquals(
    result.stdout,
    "https://ui.example.com/role/012345678902?redirect=" +
      encodeURIComponent("https://console.aws.amazon.com/lambda/home?region=us-west-2#/functions/worker") +
      "\n",
  );
});

Deno.test("weep open opens the browser; a browser that fails exits 1 with the link", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const arn = "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin";
  const link = `${cm.url}/policies/edit/012345678901/iamrole/consoleme_oss_1_test_admin`;
  const env = await fakeBrowser(home);
  const opened = await runWeep(home.home, ["open", arn], { env });
  assertEquals(opened.code, 0, opened.stderr);
  assertEquals(opened.stdout, "");
  assertEquals(await Deno.readTextFile(`${home.home}/opened.txt`), link + "\n");
  const headless = await runWeep(home.home, ["open", arn]);
  assertEquals(headless.code, 1);
  assertEquals(headless.stdout, "");
  assertStringIncludes(headless.stderr, link);
});

Deno.test("weep open rejects malformed ARNs with exit 2 before contacting ConsoleMe", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  for (
    const [arn, message] of [
      ["not-an-arn", 'Invalid ARN "not-an-arn"'],
      ["arn:aws:sns::012345678901:topic", "SNS ARNs must include the region"],
    ]
  ) {
    const result = await runWeep(home.home, ["open", "-x", arn!]);
    assertEquals(result.code, 2, arn);
    assertEquals(result.stdout, "");
    assertStringIncludes(result.stderr, message!);
  }
  assertEquals(cm.requests.length, 0);
});

Deno.test("weep open shows ConsoleMe's reason when it has no page for the resource", async () => {
  await using cm = await startConsoleMe();
  await using home = await loggedInHome(cm);
  const result = await runWeep(home.home, ["open", "-x", "arn:aws:s3:::unknown-bucket"]);
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "Resource not found in organization cache");
});
