/**
 * Credentials from ConsoleMe, then the `--assume-role` chain through STS: the credential source behind
 * `credential_process`, `export`, `file` and `serve`.
 *
 * @module
 */

import type { AwsCredentials, CredentialQuery, CredentialSource } from "../aws/credentials.ts";
import { assumeRoleChain } from "../aws/sts/sts.ts";
import type { Output } from "../platform/output.ts";
import type { ConsoleMeClient } from "./types.ts";

/** What the broker source needs besides the client. */
export interface BrokerSourceDeps {
  client: ConsoleMeClient;
  /** STS region (`--region`, else `aws.region`). */
  region: string;
  env: (name: string) => string | undefined;
  output: Output;
  /** The command name, sent as metadata when enabled. */
  method: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** A credential source that asks ConsoleMe and applies the query's assume-role chain. */
export function brokerSource(deps: BrokerSourceDeps): CredentialSource {
  return async (query: CredentialQuery, signal?: AbortSignal): Promise<AwsCredentials> => {
    const { credentials } = await deps.client.getCredentials({
      role: query.role,
      noIp: query.noIp,
      method: deps.method,
    });
    deps.output.redact(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken);
    if (query.assumeRoles.length === 0) return credentials;
    const chained = await assumeRoleChain(credentials, query.assumeRoles, {
      region: deps.region,
      env: deps.env,
    }, {
      fetch: deps.fetch ?? fetch,
      now: deps.now ?? (() => new Date()),
      signal,
      log: (message, level) => deps.output.log(level, message),
    });
    deps.output.redact(chained.accessKeyId, chained.secretAccessKey, chained.sessionToken);
    return chained;
  };
}
