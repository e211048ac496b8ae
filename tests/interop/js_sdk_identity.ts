/**
 * Resolves each profile named on the command line with the AWS SDK for JavaScript v3, the way an application
 * would (`fromIni`, and `fromProcess` for credential_process profiles), then asks STS who the credentials
 * belong to. Prints one JSON line per profile and provider: `{"profile","provider","arn"}` or `{..., "error"}`.
 * Run by the interop tests in a clean environment (HOME, PATH with weep, AWS_CONFIG_FILE, AWS_REGION,
 * AWS_ENDPOINT_URL_STS).
 *
 * @module
 */

import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromIni, fromProcess } from "@aws-sdk/credential-providers";

const providers = { fromIni, fromProcess } as const;

for (const profile of Deno.args) {
  for (const [provider, make] of Object.entries(providers)) {
    const endpoint = Deno.env.get("AWS_ENDPOINT_URL_STS");
    const sts = new STSClient({
      region: Deno.env.get("AWS_REGION") ?? "us-east-1",
      credentials: make({ profile, ignoreCache: true }),
      ...(endpoint ? { endpoint } : {}),
    });
    let line: Record<string, string>;
    try {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      line = { profile, provider, arn: identity.Arn ?? "" };
    } catch (error) {
      line = { profile, provider, error: error instanceof Error ? error.message : String(error) };
    } finally {
      sts.destroy();
    }
    Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(line) + "\n"));
  }
}
