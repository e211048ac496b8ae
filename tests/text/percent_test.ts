import { percentEncode } from "../../src/text/percent.ts";
import { assert, assertEquals, assertThrows } from "../support/assert.ts";

Deno.test("percentEncode keeps only the unreserved characters, as RFC 3986 and SigV4 want", () => {
  assertEquals(percentEncode("AZaz09-._~"), "AZaz09-._~");
  assertEquals(percentEncode("a b+c/d:e@f=g,h"), "a%20b%2Bc%2Fd%3Ae%40f%3Dg%2Ch");
  assertEquals(percentEncode("!'()*"), "%21%27%28%29%2A");
  assertEquals(percentEncode("caf\u00e9 \u{1F600}"), "caf%C3%A9%20%F0%9F%98%80");
});

Deno.test("percentEncode leaves the ASCII characters of keep as they are, and never a byte of UTF-8", () => {
  const arn = "arn:aws:iam::123456789012:role/team/a+b=c,d@e";
  assertEquals(percentEncode(arn, ":/@,=+"), arn);
  assertEquals(percentEncode("it's (x)*!", ":/"), "it%27s%20%28x%29%2A%21");
  assertEquals(percentEncode("(x)*!", "!'()*"), "(x)*!");
  // é is %C3%A9: no byte of it is ASCII, so no keep set can let part of it through.
  assertEquals(percentEncode("\u00e9", "\u00c3\u00a9"), "%C3%A9");
});

Deno.test("percentEncode output decodes back to the input", () => {
  for (const text of ["", "plain", "a%20b", "100%", "é/ü?#&=", "tab\tnewline\n", "\u{10FFFF}"]) {
    for (const keep of ["", ":/@", "!'()*"]) {
      assertEquals(decodeURIComponent(percentEncode(text, keep)), text);
    }
  }
});

Deno.test("percentEncode refuses a lone surrogate", () => {
  assert(assertThrows(() => percentEncode("a\ud800b")) instanceof URIError);
});
