/**
 * The AWS SDK for Go v2 (under Terraform's AWS provider and most Go tools) resolves credentials through an
 * installed weep: `config.LoadDefaultConfig` with a shared-config profile, then STS `GetCallerIdentity` against
 * moto. The client is `go_sdk/main.go`, built offline in GOPATH mode from Debian's packages
 * (golang-go, golang-github-aws-aws-sdk-go-v2-dev).
 */
import { ROOT } from "../../scripts/weep_command.ts";
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { assertNoSecrets } from "../support/cli.ts";
import { startConsoleMe } from "../support/consoleme_server.ts";
import { startMoto } from "../support/moto.ts";
import { goPaths, note, requireTool } from "../support/tools.ts";
import { interopHome, runClean, SEED_IDENTITIES } from "./interop_home.ts";

/** Builds the Go client into a temp dir; returns its path and a cleanup. */
async function buildGoClient(go: string): Promise<{ binary: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "weep-go-sdk-" });
  const dispose = () => Deno.remove(dir, { recursive: true });
  try {
    // GOPATH mode wants the package under <GOPATH>/src; the build cache stays in the temp dir too.
    await Deno.mkdir(`${dir}/src/weepgosdk`, { recursive: true });
    await Deno.copyFile(`${ROOT}/tests/interop/go_sdk/main.go`, `${dir}/src/weepgosdk/main.go`);
    const started = performance.now();
    const out = await runClean(go, ["build", "-o", `${dir}/go_sdk`, "."], {
      HOME: dir,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      GO111MODULE: "off",
      GOPROXY: "off",
      GOFLAGS: "",
      GOPATH: [dir, ...goPaths()].join(":"),
      GOCACHE: `${dir}/cache`,
    }, `${dir}/src/weepgosdk`);
    assertEquals(out.code, 0, `go build failed:\n${out.stderr}`);
    note(`built the AWS SDK for Go v2 client in ${Math.round(performance.now() - started)} ms`);
    return { binary: `${dir}/go_sdk`, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

Deno.test("the AWS SDK for Go v2 resolves credentials through the installed weep, against moto's STS", async (t) => {
  const go = await requireTool("go with the AWS SDK for Go v2");
  if (!go) return;
  await using moto = await startMoto();
  if (!moto) return;
  await using client = await buildGoClient(go);
  await using cm = await startConsoleMe({ sts: moto.url, autoApprove: true });
  await using home = await interopHome(cm, moto.url);
  const run = (profile: string) => runClean(client.binary, [profile, moto.url], home.env);

  await t.step("each example profile from weep's documentation gets exactly its role", async () => {
    for (const [profile, arn] of Object.entries(SEED_IDENTITIES)) {
      const result = await run(profile);
      assertNoSecrets(result.stderr);
      assertEquals([result.code, result.stdout, result.stderr], [0, `${arn}\n`, ""], profile);
    }
    assertEquals(cm.minted.map((m) => m.roleArn).sort(), [
      "arn:aws:iam::012345678901:role/consoleme_oss_1_test_admin",
      "arn:aws:iam::012345678902:role/consoleme_oss_2_test_admin",
      "arn:aws:iam::012345678903:role/test_account_user",
    ]);
  });

  await t.step("an ambiguous search string fails with weep's message beside the SDK's error", async () => {
    const before = cm.minted.length;
    const result = await run("ambiguous");
    assertNoSecrets(result.stderr);
    assertEquals([result.code, result.stdout], [1, ""]);
    // The Go SDK passes the helper's stderr straight through, and names the failure in its own error.
    assertStringIncludes(result.stderr, 'Found more than one matching role for "consoleme_oss_1"');
    assertStringIncludes(result.stderr, "arn:aws:iam::012345678901:role/consoleme_oss_1_test_user");
    assertStringIncludes(result.stderr, "go sdk error: ");
    assertStringIncludes(result.stderr, "error in credential_process: exit status 1");
    assertEquals(cm.minted.length, before);
  });

  await t.step("a second run inside the refresh window is answered from weep's cache", async () => {
    const requests = cm.count("/api/v1/get_credentials", "POST");
    const result = await run("test_account_user");
    assertEquals([result.code, result.stdout], [0, `${SEED_IDENTITIES.test_account_user}\n`], result.stderr);
    assertEquals(cm.count("/api/v1/get_credentials", "POST"), requests, "weep asked ConsoleMe again");
    assert(requests > 0);
  });
});
