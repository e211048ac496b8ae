/**
 * `weep setup`: prints the commands that route the instance metadata address to `weep serve` on this OS
 * (Linux iptables, macOS pf), with the configured serve address and port. weep never runs them.
 *
 * @module
 */

import { type Command, Option } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { UsageError } from "../errors.ts";
import { imdsRoutingScript } from "../server/imds_routing.ts";
import { parseAddress, parsePort } from "../app/options.ts";

/** Registers `weep setup`. */
export function registerSetup(program: Command, app: App): void {
  program
    .command("setup")
    .description("print the commands that route instance metadata (169.254.169.254) to weep serve")
    .option(
      "-a, --listen-address <address>",
      "the address weep serve listens on (default: server.address)",
      parseAddress,
    )
    .option("-p, --port <port>", "the port weep serve listens on (default: server.port, 9091)", parsePort)
    .addOption(new Option("-C, --commit", "not supported: weep never runs the commands").hideHelp())
    .addHelpText(
      "after",
      "\nExamples:\n  weep setup            # read the commands\n  weep setup | sh       # run them (sudo asks)\n" +
        "  weep setup -p 9092\n\nLinux: one iptables NAT rule. macOS: a loopback alias and a pf anchor (until restart).",
    )
    .action(async (options, command) => {
      if (options.commit) {
        throw new UsageError(
          "weep setup does not run the routing commands (they change the firewall as root)",
          {
            hints: ["Read them with `weep setup`, then run them yourself: weep setup | sh"],
          },
        );
      }
      const { config } = await app.loadConfig(globalsOf(command), {
        "server.address": options.listenAddress,
        "server.port": options.port,
      });
      app.output.stdout(imdsRoutingScript(Deno.build.os, config.server.address, config.server.port));
      app.output.info("weep did not run these commands; run them yourself, then start weep serve ROLE");
    });
}
