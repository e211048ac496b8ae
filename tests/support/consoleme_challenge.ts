/**
 * The challenge ("challenge URL") login state of the test ConsoleMe: generator, poller and the browser-side
 * validator, with ConsoleMe's rules (token TTL, same IP, exact user, one view, nonce echo, delete on success).
 *
 * @module
 */

/** One challenge entry (ConsoleMe keeps these in a Redis hash). */
export interface Challenge {
  token: string;
  /** The user weep put in the generator path. */
  user: string;
  /** The generator caller's IP. */
  ip: string;
  /** Expiry, epoch seconds. */
  ttl: number;
  status: "pending" | "success";
  visited: boolean;
  nonce?: string;
  /** Who approved it in the browser, once approved. */
  approvedUser?: string;
}

/** What the poller answers (all with HTTP 200). */
export type PollAnswer =
  | { status: "unknown" | "expired" | "unauthorized" | "pending" }
  | { status: "success"; user: string };

/** What the validator answers (all with HTTP 200). */
export interface ValidatorAnswer {
  message: string;
  nonce?: string;
  show_approve_button?: boolean;
}

/** The validator's answer once the user clicked Approve. */
export const APPROVED_MESSAGE = "You've successfully authenticated to ConsoleMe and may now close this page.";
const NOT_FOUND = "Unable to find a matching challenge URL. This usually means that it has expired. " +
  "Please try requesting a new challenge URL.";
const EXPIRED = "This challenge URL has expired. Please try requesting a new challenge URL.";
const OTHER_IP = "This challenge URL was requested from a different IP address than the one validating it. " +
  "Set challenge_url.request_ip_must_match_challenge_creation_ip to false if your IPv4/IPv6 addresses differ.";
const VISITED =
  "This unique challenge URL has already been viewed. Please try requesting a new challenge URL.";
const OTHER_USER = "This challenge URL is associated with a different user. Ensure that your client " +
  "configuration is specifying the correct user.";
const BAD_NONCE =
  "Unable to validate the challenge URL: the nonce does not match. Please try requesting a new " +
  "challenge URL.";

/** The challenge entries and the four operations on them. */
export class ChallengeStore {
  readonly #entries = new Map<string, Challenge>();
  readonly #nowSeconds: () => number;
  readonly #ttlSeconds: () => number;

  /** `nowSeconds` is the server clock; `ttlSeconds` the token lifetime (ConsoleMe: 120). */
  constructor(nowSeconds: () => number, ttlSeconds: () => number) {
    this.#nowSeconds = nowSeconds;
    this.#ttlSeconds = ttlSeconds;
  }

  /** `challenge_generator/<user>`: a new pending entry. */
  generate(user: string, ip: string): Challenge {
    const entry: Challenge = {
      token: crypto.randomUUID(),
      user,
      ip,
      ttl: this.#nowSeconds() + this.#ttlSeconds(),
      status: "pending",
      visited: false,
    };
    this.#entries.set(entry.token, entry);
    return entry;
  }

  /** `challenge_poller/<token>`: deletes the entry on success (the JWT is handed out once) and on expiry. */
  poll(token: string, ip: string): PollAnswer {
    const entry = this.#entries.get(token);
    if (!entry) return { status: "unknown" };
    if (entry.ttl < this.#nowSeconds()) {
      this.#entries.delete(token);
      return { status: "expired" };
    }
    if (entry.ip !== ip) return { status: "unauthorized" };
    if (entry.status !== "success" || entry.approvedUser === undefined) return { status: "pending" };
    this.#entries.delete(token);
    return { status: "success", user: entry.approvedUser };
  }

  /** The browser's GET of `/api/v2/challenge_validator/<token>`, as `browserUser` from `ip`. */
  view(token: string, browserUser: string, ip: string): ValidatorAnswer {
    const entry = this.#entries.get(token);
    if (!entry) return { message: NOT_FOUND };
    if (entry.ttl < this.#nowSeconds()) return { message: EXPIRED };
    if (entry.ip !== ip) return { message: OTHER_IP };
    if (entry.visited) return { message: VISITED };
    // Case-sensitive on purpose: ConsoleMe compares the browser user to the generator path verbatim.
    if (entry.user !== browserUser) return { message: OTHER_USER };
    entry.visited = true;
    entry.nonce = crypto.randomUUID();
    return {
      message: `A user at **${ip}** has requested ConsoleMe credentials for **${browserUser}**.\n\n` +
        "You must approve this request for credentials to be provided. You will not be able to refresh or " +
        "revisit this page after closing it.\n\nIf you did not make this request, report it to your security team.",
      nonce: entry.nonce,
      show_approve_button: true,
    };
  }

  /** The browser's POST `{"nonce": ...}` (the user clicked Approve). */
  approve(token: string, browserUser: string, ip: string, nonce: unknown): ValidatorAnswer {
    const entry = this.#entries.get(token);
    if (!entry) return { message: NOT_FOUND };
    if (entry.ttl < this.#nowSeconds()) return { message: EXPIRED };
    if (entry.ip !== ip) return { message: OTHER_IP };
    if (entry.nonce === undefined || entry.nonce !== nonce) return { message: BAD_NONCE };
    if (entry.user !== browserUser) return { message: OTHER_USER };
    entry.status = "success";
    entry.approvedUser = browserUser;
    return { message: APPROVED_MESSAGE };
  }

  /** The entries still waiting for approval (expired ones included until a poll removes them). */
  pending(): Challenge[] {
    return [...this.#entries.values()].filter((entry) => entry.status === "pending").map((e) => ({ ...e }));
  }

  /** The entry for `token`, if any. */
  get(token: string): Challenge | undefined {
    return this.#entries.get(token);
  }
}
