import { assertThrows } from "../support/assert.ts";
import { verifyPlan } from "../../src/aws/config_verify.ts";
import { parseIni } from "../../src/aws/ini_parse.ts";
import { iniSections, MANAGED_MARKER } from "../../src/aws/ini_sections.ts";

const before = "[default]\nregion = a\n";
const sections = iniSections(parseIni(before), "config");
const desired = [{ name: "x", keys: [["credential_process", "weep x"] as const] }];
const plan = { added: ["x"], removed: [], skipped: [] };
const good = `${before}[profile x]\n${MANAGED_MARKER}\ncredential_process = weep x\n`;

Deno.test("verifyPlan accepts a plan that only adds weep's profile", () => {
  verifyPlan(sections, good, desired, plan, "config", "f");
});

Deno.test("verifyPlan refuses a plan that would change a user's key, section or marker", () => {
  const bad = [
    good.replace("region = a", "region = b"),
    good.replace("[default]", "[default2]"),
    good.replace(MANAGED_MARKER, "# other"),
    good.replace("credential_process = weep x", "credential_process = weep y"),
    good + "[profile y]\n",
    good.replace("[profile x]", "[default]"),
  ];
  for (const text of bad) {
    assertThrows(
      () => verifyPlan(sections, text, desired, plan, "config", "/h/.aws/config"),
      '"/h/.aws/config"',
    );
  }
});
