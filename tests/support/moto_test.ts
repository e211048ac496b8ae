import { assert, assertEquals, assertStringIncludes } from "./assert.ts";
import { assertNoSecrets } from "./cli.ts";
import { type ConsoleMeServer, startConsoleMe } from "./consoleme_server.ts";
import { startMoto } from "./moto.ts";
import { requireTool } from "./tools.ts";

const USER = "Alice@Example.com";

async function mint(cm: ConsoleMeServer, role: string) {
  const { cookieName, jwt } = await cm.issueJwt(USER);
  const response = await fetch(`${cm.url}/api/v1/get_credentials`, {
    method: "POST",
    headers: { cookie: `${cookieName}=${jwt}` },
    body: JSON.stringify({ requested_role: role, no_ip_restrictions: false }),
  });
  return { status: response.status, body: await response.json() };
}

Deno.test("moto mints the credentials; GetCallerIdentity with them names the assumed role", async (t) => {
  await using moto = await startMoto();
  if (!moto) return;
  await using cm = await startConsoleMe({ sts: moto.url });

  await t.step("a raw GetCallerIdentity", async () => {
    const { status, body } = await mint(cm, "team/deployer");
    assertEquals(status, 200);
    const creds = body.Credentials;
    assert(Number.isInteger(creds.Expiration));
    // moto finds the caller by the access key in the credential scope; it does not check the signature.
    const identity = await fetch(moto.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization:
          `AWS4-HMAC-SHA256 Credential=${creds.AccessKeyId}/20240101/us-east-1/sts/aws4_request, ` +
          "SignedHeaders=host, Signature=00",
      },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    const xml = await identity.text();
    assertStringIncludes(xml, "<Arn>arn:aws:sts::012345678902:assumed-role/deployer/alice@example.com</Arn>");
  });

  await t.step("boto3, signing for real", async () => {
    const python = await requireTool("python3 with boto3 and moto");
    if (!python) return;
    const creds = (await mint(cm, "consoleme_oss_2_test_admin")).body.Credentials;
    const script = "import boto3,os\n" +
      "s=boto3.client('sts',region_name='us-east-1',endpoint_url=os.environ['STS_URL'])\n" +
      "print(s.get_caller_identity()['Arn'])";
    const out = await new Deno.Command(python, {
      args: ["-c", script],
      env: {
        STS_URL: moto.url,
        AWS_ACCESS_KEY_ID: creds.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.SecretAccessKey,
        AWS_SESSION_TOKEN: creds.SessionToken,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertNoSecrets(stderr);
    assertEquals(out.code, 0, stderr);
    assertEquals(
      new TextDecoder().decode(out.stdout).trim(),
      "arn:aws:sts::012345678902:assumed-role/consoleme_oss_2_test_admin/alice@example.com",
    );
  });
});

Deno.test("an STS that cannot be reached gives 902 with the exception", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadUrl = `http://127.0.0.1:${listener.addr.port}`;
  listener.close();
  await using cm = await startConsoleMe({ sts: deadUrl });
  const { status, body } = await mint(cm, "test_account_user");
  assertEquals([status, body.code, body.message], [403, "902", "Unable to get credentials."]);
  assert(typeof body.exception === "string" && body.exception.length > 0);
  assertEquals(cm.minted.length, 0);
});
