/**
 * What weep asks ConsoleMe and what it gets back, after validation.
 *
 * @module
 */

import type { AccountRole } from "../aws/arn.ts";
import type { AwsCredentials } from "../aws/credentials.ts";

/** An application linked to a role (from `get_roles` v2 `apps.app_details`). */
export interface RoleApp {
  name: string;
  owner: string;
  ownerUrl: string;
  appUrl: string;
}

/** A role the user may use, from `GET /api/v2/get_roles?all=true` (`accountName` is `account_friendly_name`). */
export interface ConsoleMeRole extends AccountRole {
  apps: readonly RoleApp[];
}

/** What {@linkcode ConsoleMeClient.getRoles} keeps of each role. */
export interface RoleListOptions {
  /**
   * Keep the apps linked to each role (default true). Without them (`generate`), 100,000 roles take tens of MiB
   * less; every role's `apps` is then empty.
   */
  apps?: boolean;
}

/** A typeahead hit from `GET /api/v1/policies/typeahead`. */
export interface TypeaheadResult {
  title: string;
  accountId?: string;
}

/** Options of a credential request. */
export interface CredentialRequest {
  /** A role ARN or any search string ConsoleMe matches (case-insensitive substring). */
  role: string;
  /** Ask for credentials without the IP-restriction policy (`no_ip_restrictions`). */
  noIp: boolean;
  /** The command the user ran, for the optional `metadata` field. */
  method?: string;
}

/** Credentials as ConsoleMe returned them, with the ARN it resolved when it said. */
export interface BrokerCredentials {
  credentials: AwsCredentials;
  /** `Credentials.RoleArn`, sent only by extended servers. */
  roleArn?: string;
}

/** An authenticated ConsoleMe API client. */
export interface ConsoleMeClient {
  /** The base URL (no trailing slash). */
  readonly baseUrl: string;
  /** `POST /api/v1/get_credentials`. */
  getCredentials(request: CredentialRequest): Promise<BrokerCredentials>;
  /** `GET /api/v2/get_roles?all=true`. */
  getRoles(options?: RoleListOptions): Promise<ConsoleMeRole[]>;
  /** `GET /api/v1/get_roles?all=true`: role ARNs only. */
  getRoleArns(): Promise<string[]>;
  /** `GET /api/v2/get_resource_url?arn=…`: a path relative to the ConsoleMe UI. */
  getResourceUrl(arn: string): Promise<string>;
  /** `GET /api/v1/policies/typeahead`. */
  typeahead(resource: "account" | "iam_arn", search: string): Promise<TypeaheadResult[]>;
}
