/**
 * The public types of the test ConsoleMe: its settings and options, and the controls a running server offers.
 *
 * @module
 */

import type { CredentialSettings, MintRecord } from "./consoleme_api.ts";
import type { FaultKind, FaultOptions } from "./consoleme_faults.ts";
import type { RoleInput, TestRole } from "./consoleme_roles.ts";
import type { RecordedRequest } from "./consoleme_routes.ts";

/** Server settings tests may change while it runs (`cm.settings.expireIn = 60`). */
export interface ConsoleMeSettings extends CredentialSettings {
  /** `jwt`: cookie auth as ConsoleMe; `none`: every caller is `user`. */
  auth: "jwt" | "none";
  /** The auth cookie name the poller announces and the API reads (default `consoleme_auth`). */
  cookieName: string;
  /** The user of `auth: "none"` and the default of `issueJwt` (default `user@example.com`). */
  user: string;
  /** The groups claim of minted JWTs. */
  groups: string[];
  /** JWT lifetime in minutes (default 60). */
  jwtMinutes: number;
  /** Challenge token lifetime in seconds (default 120). */
  challengeTtlSeconds: number;
  /**
   * Approve each challenge as soon as it is generated: `true` as the user it names, a string as that browser
   * user (a different one leaves the challenge pending, as ConsoleMe does).
   */
  autoApprove: boolean | string;
}

/** Options of `startConsoleMe`: any setting, plus the starting state. */
export interface ConsoleMeServerOptions extends Partial<ConsoleMeSettings> {
  /** The roles (default: `defaultRoles()`). */
  roles?: RoleInput[];
  /** Account ID -> friendly name (default: `DEFAULT_ACCOUNTS`). */
  accounts?: Record<string, string>;
  /** moto's URL: mint credentials with its STS `AssumeRole`; without it, credentials are minted locally. */
  sts?: string | undefined;
  /** The server clock in epoch milliseconds (default `Date.now`). */
  clock?: () => number;
}

/** A JWT the server issued, as the poller hands it out. */
export interface IssuedJwt {
  cookieName: string;
  jwt: string;
  /** Epoch seconds (the JWT's `exp`). */
  expiration: number;
  user: string;
}

/** The outcome of an approval in the "browser". */
export interface ApprovalResult {
  token: string;
  approved: boolean;
  /** The validator's last message. */
  message: string;
}

/** A challenge waiting for approval. */
export interface PendingChallenge {
  token: string;
  user: string;
  challengeUrl: string;
  pollingUrl: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** A running test ConsoleMe. */
export interface ConsoleMeServer extends AsyncDisposable {
  /** Base URL without a trailing slash. */
  readonly url: string;
  /** Live settings. */
  readonly settings: ConsoleMeSettings;
  /** Every request, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Every credential set handed out, in order. */
  readonly minted: readonly MintRecord[];
  /** How many TCP connections clients opened. */
  readonly connections: number;
  /** How many requests went to `path` (exact), optionally only with `method`. */
  count(path: string, method?: string): number;
  /** Forgets the recorded requests and minted credentials. */
  clearRequests(): void;
  /** The current roles. */
  roles(): TestRole[];
  /** Replaces the roles. */
  setRoles(roles: readonly RoleInput[]): void;
  /** Replaces the account names. */
  setAccounts(accounts: Record<string, string>): void;
  /** Puts ARNs into the AWS Config cache `get_resource_url` reads (`accountId` for ARNs without one). */
  addResource(arn: string, accountId?: string): void;
  /** Arms a fault (default: once, on `/api/v1/get_credentials`). */
  fault(kind: FaultKind, options?: FaultOptions): void;
  /** Disarms every fault. */
  clearFaults(): void;
  /** Issues a valid JWT for `user` (default `settings.user`) without the challenge flow. */
  issueJwt(user?: string, lifetimeSeconds?: number): Promise<IssuedJwt>;
  /** A new JWT secret: every issued token becomes `invalid_jwt` (a server restart). */
  rotateSecret(): Promise<void>;
  /** Approves a challenge (default: the newest pending) as `user` (default: the one it names); throws if refused. */
  approve(token?: string, user?: string): void;
  /** Approves the next challenge as soon as it is generated; resolves with the outcome. */
  approveWhenRequested(user?: string): Promise<ApprovalResult>;
  /** Challenges waiting for approval. */
  pendingChallenges(): PendingChallenge[];
  /** Stops the server and closes every connection. */
  close(): Promise<void>;
}
