/**
 * The commands that route the EC2 instance metadata address (`169.254.169.254:80`) to `weep serve`, for
 * `weep setup`: iptables on Linux, pf on macOS. weep prints them and never runs them (they change the
 * firewall, as root). Pure.
 *
 * @module
 */

import { WeepError } from "../errors.ts";

/** The address AWS SDKs ask for instance metadata. */
export const IMDS_ADDRESS = "169.254.169.254";

/** The IPv4 address the routing sends metadata requests to, for `weep serve` listening on `address`. */
export function routingTarget(address: string): string {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  if (bare === "0.0.0.0" || bare === "::" || bare === "localhost") return "127.0.0.1";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bare)) return bare;
  throw new WeepError(`Cannot route IMDS to weep serve on "${address}": the metadata address is IPv4`, {
    hints: ["Let weep serve listen on 127.0.0.1 (server.address, or weep setup -a 127.0.0.1)"],
  });
}

/**
 * A `sh` script with the routing commands for `os` and weep serve at `address:port`, each undo command in a
 * comment. Throws for an OS without IMDS routing, or port 0 (the routing needs a fixed port).
 */
export function imdsRoutingScript(os: typeof Deno.build.os, address: string, port: number): string {
  if (port === 0) {
    throw new WeepError("IMDS routing needs a fixed port, not 0", {
      hints: ["Set server.port (default 9091), or pass weep setup -p PORT"],
    });
  }
  const target = routingTarget(address);
  const header = [
    "#!/bin/sh",
    `# Routes ${IMDS_ADDRESS}:80 (instance metadata) to weep serve on ${target}:${port}. weep does not run these`,
    "# commands: read them, run them (they use sudo), then start: weep serve ROLE",
  ];
  if (os === "linux") {
    const rule = `OUTPUT -p tcp -d ${IMDS_ADDRESS} --dport 80 -j DNAT --to-destination ${target}:${port}`;
    return [
      ...header,
      `# Undo: sudo iptables -t nat -D ${rule}`,
      `sudo iptables -t nat -A ${rule}`,
      "",
    ].join("\n");
  }
  if (os === "darwin") {
    const rule =
      `rdr pass on lo0 inet proto tcp from any to ${IMDS_ADDRESS} port 80 -> ${target} port ${port}`;
    return [
      ...header,
      "# Lasts until the next restart. Undo: sudo pfctl -a com.apple/weep -F all; sudo ifconfig lo0 -alias " +
      IMDS_ADDRESS,
      `sudo ifconfig lo0 alias ${IMDS_ADDRESS}`,
      `echo '${rule}' | sudo pfctl -a com.apple/weep -f -`,
      "sudo pfctl -E",
      "",
    ].join("\n");
  }
  throw new WeepError(`weep setup has no IMDS routing for ${os}`, {
    hints: [
      "Run weep serve without a role and point AWS tools at its ECS endpoint instead " +
      "(AWS_CONTAINER_CREDENTIALS_FULL_URI, printed by weep serve); see docs/serve.md",
    ],
  });
}
