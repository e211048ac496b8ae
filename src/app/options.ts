/**
 * Option parsers commands share: repeatable lists (`--assume-role`, `--include`, `--exclude`) and the address
 * and port of `serve` and `setup`. Commander reports what they refuse as usage errors.
 *
 * @module
 */

import { InvalidArgumentError } from "@commander-js/extra-typings";
import { listItems } from "../global_flags.ts";
import { parseListenAddress } from "../server/listen.ts";

/** Collects a repeatable, comma-separable option (`-A a -A b` equals `-A a,b`). */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...listItems(value)];
}

/** Parses a port option: 0 to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw new InvalidArgumentError("expected a port number from 0 to 65535 (0 picks a free port)");
  }
  return port;
}

/** Parses a listen-address option: an IP literal or `localhost`. */
export function parseAddress(value: string): string {
  try {
    return parseListenAddress(value);
  } catch {
    throw new InvalidArgumentError("expected an IP address such as 127.0.0.1 or ::1");
  }
}
