import { assertThrows } from "../../support/assert.ts";
import { type ExpectedSection, verifyPlan } from "../../../src/aws/ini/config_verify.ts";
import { MANAGED_MARKER } from "../../../src/aws/ini/ini_sections.ts";
import { markerLine } from "../../../src/aws/ini/profile_marker.ts";

const owner = { origin: "https://cm.example.com", role: "arn:aws:iam::123456789012:role/x" };
const expected: ExpectedSection[] = [
  { header: "default", keys: new Map([["region", "a"]]), managed: false, owner: undefined },
  { header: "profile x", keys: new Map([["credential_process", "weep x"]]), managed: true, owner },
];
const good = `[default]\nregion = a\n[profile x]\n${markerLine(owner)}\ncredential_process = weep x\n`;

Deno.test("verifyPlan accepts a plan that reads back as expected", () => {
  verifyPlan(good, expected, "config", "f");
});

Deno.test("verifyPlan refuses a plan that would change a user's key, section, marker or owner", () => {
  const bad = [
    good.replace("region = a", "region = b"),
    good.replace("[default]", "[default2]"),
    good.replace(markerLine(owner), "# other"),
    good.replace(markerLine(owner), MANAGED_MARKER),
    good.replace(markerLine(owner), markerLine({ ...owner, origin: "https://other.example.com" })),
    good.replace("[default]\n", `[default]\n${MANAGED_MARKER}\n`),
    good.replace("credential_process = weep x", "credential_process = weep y"),
    good + "[profile y]\n",
    good.replace("[profile x]", "[default]"),
  ];
  for (const text of bad) {
    assertThrows(() => verifyPlan(text, expected, "config", "/h/.aws/config"), '"/h/.aws/config"');
  }
});
