/**
 * How weep chooses the STS endpoint, the way the AWS CLI does: a configured endpoint URL from the
 * environment, else the regional endpoint.
 *
 * @module
 */

import { WeepError } from "../../errors.ts";

/** The default STS endpoint of a region (`https://sts.<region>.amazonaws.com`; `.com.cn` for China). */
export function defaultStsEndpoint(region: string): string {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) {
    throw new WeepError(`Invalid AWS region "${region}" for STS: expected a name like us-east-1`, {
      hints: ["Set --region, AWS_REGION or aws.region in weep.yaml"],
    });
  }
  return `https://sts.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/**
 * The STS endpoint the AWS CLI would use: `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL` (both ignored when
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`), else {@linkcode defaultStsEndpoint} of `region`.
 */
export function resolveStsEndpoint(region: string, env: (name: string) => string | undefined): string {
  if (env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.trim().toLowerCase() !== "true") {
    for (const name of ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"]) {
      const value = env(name)?.trim();
      if (!value) continue;
      if (!/^https?:\/\/[^/\s]+/i.test(value) || !URL.canParse(value)) {
        throw new WeepError(
          `Invalid STS endpoint "${value}" in ${name}: expected an http:// or https:// URL`,
          {
            hints: [`Fix or unset ${name}`],
          },
        );
      }
      return value;
    }
  }
  return defaultStsEndpoint(region);
}
