import {
  amzDate,
  canonicalQuery,
  canonicalUri,
  type SigningCredentials,
  signingKey,
  type SigningRequest,
  signRequest,
} from "../../../src/aws/sts/sigv4.ts";
import { assert, assertEquals, assertStringIncludes } from "../../support/assert.ts";
import { requireTool } from "../../support/tools.ts";

// The credentials and instant of AWS's published SigV4 examples and test suite.
const EXAMPLE: SigningCredentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const AT = new Date("2015-08-30T12:36:00Z");
const SUITE = { region: "us-east-1", service: "service" };
const SUITE_TOKEN =
  "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

Deno.test("signRequest reproduces the documented IAM ListUsers example", async () => {
  const signed = await signRequest(
    {
      method: "GET",
      url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
      headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
    },
    EXAMPLE,
    { region: "us-east-1", service: "iam" },
    AT,
  );
  assertEquals(
    signed.canonicalRequest,
    [
      "GET",
      "/",
      "Action=ListUsers&Version=2010-05-08",
      "content-type:application/x-www-form-urlencoded; charset=utf-8",
      "host:iam.amazonaws.com",
      "x-amz-date:20150830T123600Z",
      "",
      "content-type;host;x-amz-date",
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ].join("\n"),
  );
  assertEquals(
    signed.stringToSign,
    "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n" +
      "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
  );
  assertEquals(
    signed.headers["Authorization"],
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
      "SignedHeaders=content-type;host;x-amz-date, " +
      "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
  );
  assertEquals(signed.headers["X-Amz-Date"], "20150830T123600Z");
  assertEquals(signed.headers["X-Amz-Security-Token"], undefined);
});

Deno.test("signingKey matches the documented derived key", async () => {
  const key = await signingKey(EXAMPLE.secretAccessKey, "20150830", { region: "us-east-1", service: "iam" });
  assertEquals(
    Array.from(key, (b) => b.toString(16).padStart(2, "0")).join(""),
    "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
  );
});

const UNRESERVED = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Cases from the AWS SigV4 test suite (aws-sig-v4-test-suite), with their published signatures.
const SUITE_CASES: [string, SigningRequest, SigningCredentials, string][] = [
  [
    "get-vanilla",
    { method: "GET", url: "https://example.amazonaws.com/" },
    EXAMPLE,
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
  ],
  [
    "get-vanilla-query-order-key-case",
    { method: "GET", url: "https://example.amazonaws.com/?Param2=value2&Param1=value1" },
    EXAMPLE,
    "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
  ],
  [
    "get-vanilla-empty-query-key",
    { method: "GET", url: "https://example.amazonaws.com/?Param1=value1" },
    EXAMPLE,
    "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
  ],
  [
    "get-vanilla-utf8-query",
    { method: "GET", url: "https://example.amazonaws.com/?\u1234=bar" },
    EXAMPLE,
    "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
  ],
  [
    "get-vanilla-query-unreserved",
    { method: "GET", url: `https://example.amazonaws.com/?${UNRESERVED}=${UNRESERVED}` },
    EXAMPLE,
    "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
  ],
  [
    "get-header-value-trim",
    {
      method: "GET",
      url: "https://example.amazonaws.com/",
      headers: { "My-Header1": " value1", "My-Header2": ' "a   b   c"' },
    },
    EXAMPLE,
    "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
  ],
  [
    "post-vanilla",
    { method: "POST", url: "https://example.amazonaws.com/" },
    EXAMPLE,
    "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
  ],
  [
    "post-x-www-form-urlencoded",
    {
      method: "POST",
      url: "https://example.amazonaws.com/",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "Param1=value1",
    },
    EXAMPLE,
    "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
  ],
  ["post-sts-header-before", { method: "POST", url: "https://example.amazonaws.com/" }, {
    ...EXAMPLE,
    sessionToken: SUITE_TOKEN,
  }, "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"],
];

for (const [name, request, credentials, signature] of SUITE_CASES) {
  Deno.test(`signRequest matches the AWS SigV4 test suite case ${name}`, async () => {
    const signed = await signRequest(request, credentials, SUITE, AT);
    assertEquals(signed.signature, signature);
    assertStringIncludes(signed.headers["Authorization"] ?? "", `Signature=${signature}`);
  });
}

Deno.test("signRequest sends and signs the session token and replaces stale auth headers", async () => {
  const signed = await signRequest(
    {
      method: "POST",
      url: "https://sts.us-east-1.amazonaws.com/",
      headers: { Authorization: "stale", "x-amz-date": "19990101T000000Z", "X-Amz-Security-Token": "old" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    },
    { ...EXAMPLE, sessionToken: "token-1234" },
    { region: "us-east-1", service: "sts" },
    AT,
  );
  assertEquals(Object.keys(signed.headers).sort(), ["Authorization", "X-Amz-Date", "X-Amz-Security-Token"]);
  assertEquals(signed.headers["X-Amz-Security-Token"], "token-1234");
  assertEquals(signed.headers["X-Amz-Date"], "20150830T123600Z");
  assertStringIncludes(
    signed.headers["Authorization"] ?? "",
    "SignedHeaders=host;x-amz-date;x-amz-security-token,",
  );
  assertStringIncludes(signed.canonicalRequest, "host:sts.us-east-1.amazonaws.com\n");
});

Deno.test("signRequest leaves out an empty session token", async () => {
  const signed = await signRequest(
    { method: "GET", url: "https://example.amazonaws.com/" },
    {
      ...EXAMPLE,
      sessionToken: "",
    },
    SUITE,
    AT,
  );
  assertEquals(signed.headers["X-Amz-Security-Token"], undefined);
  assertEquals(signed.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
});

Deno.test("signRequest signs the host with a non-default port", async () => {
  const signed = await signRequest({ method: "POST", url: "http://127.0.0.1:5000/" }, EXAMPLE, SUITE, AT);
  assertStringIncludes(signed.canonicalRequest, "\nhost:127.0.0.1:5000\n");
  const https = await signRequest({ method: "POST", url: "https://example.com:443/" }, EXAMPLE, SUITE, AT);
  assertStringIncludes(https.canonicalRequest, "\nhost:example.com\n");
});

Deno.test("canonicalUri removes dot segments and repeated slashes and encodes the path again", () => {
  assertEquals(canonicalUri("/"), "/");
  assertEquals(canonicalUri(""), "/");
  assertEquals(canonicalUri("//example//"), "/example/");
  assertEquals(canonicalUri("/a/./b/../c"), "/a/c");
  assertEquals(canonicalUri("/example%20space/"), "/example%2520space/");
  assertEquals(canonicalUri("/~user/x-y_z.1"), "/~user/x-y_z.1");
});

Deno.test("canonicalQuery sorts by encoded name then value and encodes strictly", () => {
  assertEquals(canonicalQuery("?b=2&a=2&a=1&c"), "a=1&a=2&b=2&c=");
  assertEquals(canonicalQuery("?k=a%20b&s=*!'()"), "k=a%20b&s=%2A%21%27%28%29");
  assertEquals(canonicalQuery("?k=a+b"), "k=a%2Bb");
  assertEquals(canonicalQuery(""), "");
});

Deno.test("amzDate drops separators and milliseconds", () => {
  assertEquals(amzDate(new Date("2026-11-28T18:32:50.123Z")), "20261128T183250Z");
});

// Cross-check with botocore's SigV4Auth, the signer the AWS CLI and boto3 use.
const BOTOCORE_SIGNER = `
import datetime, json, sys
from unittest import mock
import botocore.auth, botocore.awsrequest, botocore.credentials
out = []
for c in json.load(sys.stdin):
    creds = botocore.credentials.Credentials(c["accessKeyId"], c["secretAccessKey"], c.get("sessionToken"))
    req = botocore.awsrequest.AWSRequest(method=c["method"], url=c["url"], headers=c["headers"], data=c["body"].encode())
    when = datetime.datetime.strptime(c["amzDate"], "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        botocore.auth.SigV4Auth(creds, c["service"], c["region"]).add_auth(req)
    out.append({k: req.headers[k] for k in ("Authorization", "X-Amz-Date", "X-Amz-Security-Token") if k in req.headers})
print(json.dumps(out))
`;

Deno.test({
  name: "signRequest produces the same headers as botocore's SigV4Auth",
  fn: async () => {
    const python = await requireTool("python3 with botocore");
    if (!python) return;
    const token = "FwoGZXIvYXdzEJr//////////wEaDNf+token/with+slashes==";
    const cases = [
      {
        method: "POST",
        url: "https://sts.eu-west-1.amazonaws.com/",
        headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fx" +
          "&RoleSessionName=alice%40example.com&DurationSeconds=3600",
        sessionToken: token,
        region: "eu-west-1",
        service: "sts",
      },
      {
        method: "POST",
        url: "http://127.0.0.1:5123/",
        headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
        region: "us-east-1",
        service: "sts",
      },
      {
        method: "GET",
        url: new URL("https://example.amazonaws.com/a b/\u00e9t\u00e9/~x/?z=1&a=%2F&a=b").href,
        headers: { "X-Custom": "  two   spaces  " },
        body: "",
        sessionToken: token,
        region: "ap-southeast-2",
        service: "execute-api",
      },
    ];
    const at = new Date("2026-11-28T18:32:50Z");
    const input = cases.map((c) => ({ ...EXAMPLE, ...c, amzDate: amzDate(at) }));
    const child = new Deno.Command(python, {
      args: ["-c", BOTOCORE_SIGNER],
      stdin: "piped",
      stdout: "piped",
    })
      .spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(input)));
    await writer.close();
    const result = await child.output();
    assert(result.success, "botocore signer failed");
    const expected = JSON.parse(new TextDecoder().decode(result.stdout)) as Record<string, string>[];
    for (const [i, c] of cases.entries()) {
      const credentials = { ...EXAMPLE, sessionToken: c.sessionToken };
      const signed = await signRequest(c, credentials, { region: c.region, service: c.service }, at);
      const { Authorization, "X-Amz-Date": date, "X-Amz-Security-Token": sent } = signed.headers;
      const ours: Record<string, string> = { Authorization: Authorization ?? "", "X-Amz-Date": date ?? "" };
      if (sent !== undefined) ours["X-Amz-Security-Token"] = sent;
      assertEquals(ours, expected[i], `case ${i} (${c.method} ${c.url})`);
    }
  },
});
