import { assert, assertEquals } from "../../support/assert.ts";
import { botocoreRead, jsSdkRead } from "../../support/aws_readers.ts";
import { requireTool } from "../../support/tools.ts";
import type { FileKind } from "../../../src/aws/ini/ini_sections.ts";
import { checkProfileName, JAVA_SDK, JS_SDK, profileHeader } from "../../../src/aws/ini/profile_name.ts";

const NAMES = [
  "dev",
  "default",
  "DEFAULT",
  "profile",
  "a.b",
  "a/b",
  "a+b",
  "50%",
  "x@y",
  "a:b",
  "a_b-c",
  "arn:aws:iam::123456789012:role/team/deployer",
  "arn:aws:iam::123456789012:role/a=b,c",
  "two words",
  "tab\tname",
  "quo'te",
  'dq"x',
  "back\\slash",
  "a#b",
  "a;b",
  "(paren)",
  "a]b",
  "\u00fcn\u00ef",
];

Deno.test("profileHeader writes [profile NAME], [default] and credentials-style [NAME]", () => {
  assertEquals(profileHeader("x", "config"), "[profile x]");
  assertEquals(profileHeader("default", "config"), "[default]");
  assertEquals(profileHeader("x", "credentials"), "[x]");
});

Deno.test("checkProfileName names the SDKs that ignore a name", () => {
  assertEquals(checkProfileName("arn:aws:iam::1:role/a=b,c", "config"), {
    readable: true,
    ignoredBy: [JAVA_SDK, JS_SDK],
    oldJsIgnores: false,
  });
  assertEquals(checkProfileName("arn:aws:iam::1:role/app", "config").oldJsIgnores, true);
  assertEquals(checkProfileName("prod-app", "config"), {
    readable: true,
    ignoredBy: [],
    oldJsIgnores: false,
  });
  assertEquals(checkProfileName("two words", "config").readable, false);
  assertEquals(checkProfileName("two words", "credentials").ignoredBy, [JAVA_SDK, JS_SDK]);
  assertEquals(checkProfileName("", "config").reason, "the name is empty");
  assertEquals(checkProfileName(" x", "credentials").readable, false);
});

async function readEach(python: string, kind: FileKind) {
  const dir = await Deno.makeTempDir({ prefix: "weep-names-" });
  try {
    const paths = await Promise.all(NAMES.map(async (name, i) => {
      await Deno.writeTextFile(`${dir}/${i}`, `${profileHeader(name, kind)}\nregion = r${i}\n`);
      return `${dir}/${i}`;
    }));
    const botocore = await botocoreRead(python, paths.map((path) => ({ kind, path })));
    const js = await Promise.all(paths.map(async (path) => {
      const read = kind === "config"
        ? await jsSdkRead(path, `${dir}/none`)
        : await jsSdkRead(`${dir}/none`, path);
      return kind === "config" ? read.configFile : read.credentialsFile;
    }));
    return { botocore, js };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const kind of ["config", "credentials"] as const) {
  Deno.test(`checkProfileName agrees with botocore and the JavaScript SDK on names in the ${kind} file`, async () => {
    const python = await requireTool("python3 with botocore");
    if (!python) return;
    const { botocore, js } = await readEach(python, kind);
    NAMES.forEach((name, i) => {
      const check = checkProfileName(name, kind);
      const result = botocore[i];
      assert(result !== undefined && "profiles" in result, `botocore failed on ${JSON.stringify(name)}`);
      const botocoreSees = result.profiles[name]?.["region"] === `r${i}`;
      assertEquals({ name, readable: check.readable }, { name, readable: botocoreSees });
      const jsSees = js[i]?.[name]?.["region"] === `r${i}`;
      assertEquals({ name, js: !check.ignoredBy.includes(JS_SDK) }, { name, js: jsSees });
    });
  });
}
