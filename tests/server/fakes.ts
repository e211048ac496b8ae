/**
 * Fakes for the credential server's tests: a clock that only moves when told, a credential source that
 * counts and records its calls, and a request builder that looks like what the AWS SDKs send.
 *
 * @module
 */

import type { AwsCredentials, CredentialQuery, CredentialSource } from "../../src/aws/credentials.ts";
import { WeepError } from "../../src/errors.ts";
import { CredentialCache } from "../../src/server/credential_cache.ts";
import { createHandler, type CredentialHandler, type HandlerOptions } from "../../src/server/handler.ts";

/** A clock that only moves with {@linkcode FakeClock.advance}. */
export class FakeClock {
  #ms: number;
  /** Starts at `start`. */
  constructor(start = "2026-03-01T12:00:00Z") {
    this.#ms = Date.parse(start);
  }
  /** The current time. */
  now = (): Date => new Date(this.#ms);
  /** Moves the clock forward. */
  advance(ms: number): void {
    this.#ms += ms;
  }
}

/** Minutes in milliseconds. */
export const MINUTES = 60_000;

/** A credential source that mints numbered credentials and records every query. */
export class FakeSource {
  readonly queries: CredentialQuery[] = [];
  readonly signals: (AbortSignal | undefined)[] = [];
  /** Lifetime of minted credentials. */
  lifetimeMs = 60 * MINUTES;
  /** The next calls fail with this error while set. */
  failure: Error | undefined;
  /** `RoleArn` of minted credentials; `undefined` like ConsoleMe OSS. */
  roleArn: string | undefined;
  /** When set, calls wait for {@linkcode FakeSource.release}. */
  gated = false;
  #waiting: (() => void)[] = [];
  readonly #clock: FakeClock;

  /** A source on `clock`. */
  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  /** How many times the source was called. */
  get calls(): number {
    return this.queries.length;
  }

  /** Lets every waiting call finish. */
  release(): void {
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  /** The {@linkcode CredentialSource}. */
  source: CredentialSource = async (query, signal) => {
    this.queries.push(structuredClone(query));
    this.signals.push(signal);
    const n = this.queries.length;
    if (this.gated) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (this.failure) throw this.failure;
    const credentials: AwsCredentials = {
      accessKeyId: `ASIAFAKE${n}`,
      secretAccessKey: `secret-${n}`,
      sessionToken: `token-${n}`,
      expiration: new Date(this.#clock.now().getTime() + this.lifetimeMs),
    };
    const last = query.assumeRoles.at(-1) ?? this.roleArn;
    if (last !== undefined) credentials.roleArn = last;
    return credentials;
  };
}

/** A broker refusal as the ConsoleMe client reports it (code 900). */
export function brokerFailure(): WeepError {
  return new WeepError('ConsoleMe has no role matching "nope"', {
    hints: ["Run weep list to see your roles"],
    failure: "refusal",
  });
}

/** A transient failure as the ConsoleMe client reports it: ConsoleMe did not answer. */
export function outage(): WeepError {
  return new WeepError('ConsoleMe at "https://cm.example.com" did not answer within 20 s', {
    failure: "transient",
  });
}

/** The ECS token the test handlers use. */
export const TOKEN = "test-token-0123456789abcdefghijklmnopqrstuvwxyz";

/** A handler over a {@linkcode FakeSource}, with options overridden by `overrides`. */
export function testHandler(
  clock: FakeClock,
  fake: FakeSource,
  overrides: Partial<HandlerOptions> = {},
): { handler: CredentialHandler; cache: CredentialCache } {
  const cache = overrides.cache ?? new CredentialCache({ source: fake.source, now: clock.now });
  const handler = createHandler({
    cache,
    now: clock.now,
    authToken: TOKEN,
    assumeRoles: [],
    noIp: false,
    allowedHosts: ["localhost", "127.0.0.1", "[::1]", "169.254.169.254"],
    ...overrides,
  });
  return { handler, cache };
}

/** A request to `path` on `127.0.0.1:9091` with the headers an SDK sends (plus `headers`). */
export function sdkRequest(path: string, headers: Record<string, string> = {}, method = "GET"): Request {
  return new Request(`http://127.0.0.1:9091${path}`, {
    method,
    headers: { host: "127.0.0.1:9091", "user-agent": "aws-cli/2.9.19 Python/3.11.2", ...headers },
  });
}

/** A request to the ECS endpoint with the test token. */
export function ecsRequest(path: string, headers: Record<string, string> = {}): Request {
  return sdkRequest(path, { authorization: TOKEN, ...headers });
}
