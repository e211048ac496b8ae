import { findElement, parseXml, textAt } from "../../../src/aws/sts/xml.ts";
import { assertEquals, assertThrows } from "../../support/assert.ts";

Deno.test("parseXml reads an STS answer with a namespace, declaration and indentation", () => {
  const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::123456789012:assumed-role/app/alice@example.com</Arn>
    <UserId>AROAEXAMPLE:alice@example.com</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>01234567-89ab</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>
`);
  assertEquals(root.name, "GetCallerIdentityResponse");
  assertEquals(textAt(root, "GetCallerIdentityResult", "Account"), "123456789012");
  assertEquals(textAt(root, "ResponseMetadata", "RequestId"), "01234567-89ab");
  assertEquals(textAt(root, "GetCallerIdentityResult", "Missing"), undefined);
});

Deno.test("parseXml decodes entities and CDATA, skips comments, drops prefixes and reads self-closing tags", () => {
  const root = parseXml(
    `<!DOCTYPE x><a:Root xmlns:a="urn:x" k='v>'><!-- <Fake/> --><M>a &amp; b &lt;c&gt; &quot;&apos; &#65;&#x42;</M>` +
      `<C><![CDATA[<raw> & text]]></C><Empty/><Empty attr="1" /></a:Root>`,
  );
  assertEquals(root.name, "Root");
  assertEquals(textAt(root, "M"), `a & b <c> "' AB`);
  assertEquals(textAt(root, "C"), "<raw> & text");
  assertEquals(root.children.map((child) => child.name), ["M", "C", "Empty", "Empty"]);
  assertEquals(findElement(root, "Fake"), undefined);
});

Deno.test("parseXml rejects malformed documents", () => {
  for (
    const text of [
      "",
      "not xml",
      "<a><b></a>",
      "<a>",
      "<a></a><b></b>",
      "<a></a>trailing",
      "<a><!-- unterminated </a>",
      "<a b=unquoted></a>",
      "</a>",
    ]
  ) {
    assertThrows(() => parseXml(text));
  }
});
