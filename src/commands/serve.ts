/**
 * `weep serve [ROLE]` (aliases `ecs_credential_provider`, `metadata`, `imds`): a local credential server for
 * tools that cannot run a helper. Always an ECS container credential endpoint guarded by a token; with ROLE,
 * also an EC2 instance metadata (IMDS) emulation for that role.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { type App, globalsOf } from "../app/app.ts";
import { parseListenAddress } from "../server/listen.ts";
import { runServer, type ServeInput } from "../server/run.ts";
import { commandCredentialSource } from "../app/compose.ts";
import { parseAddress, parsePort } from "../app/options.ts";

/** Registers `weep serve`. */
export function registerServe(program: Command, app: App): void {
  program
    .command("serve")
    .aliases(["ecs_credential_provider", "metadata", "imds"])
    .description("serve credentials over HTTP: an ECS credential endpoint, and IMDS for ROLE when given")
    .argument("[role]", "role ARN or search string to serve over IMDS (and as the default ECS URI)")
    .option(
      "-a, --listen-address <address>",
      "IP address to listen on (default: server.address, 127.0.0.1)",
      parseAddress,
    )
    .option(
      "-p, --port <port>",
      "port to listen on, 0 for any free port (default: server.port, 9091)",
      parsePort,
    )
    .addHelpText(
      "after",
      [
        "",
        "stdout gets the lines to export (in the shell that runs the AWS CLI or SDK):",
        "  export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:9091/ecs/<role>",
        "  export AWS_CONTAINER_AUTHORIZATION_TOKEN=<token>",
        "With ROLE, IMDS clients can use AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9091/",
        "GET /ecs/<role>?assume=<arn>,<arn> adds roles to assume after the global --assume-role chain.",
      ].join("\n"),
    )
    .action(async (role, options, command) => {
      const globals = globalsOf(command);
      const { config } = await app.loadConfig(globals, {
        "server.address": options.listenAddress,
        "server.port": options.port,
      });
      const input: ServeInput = {
        role,
        address: config.server.address,
        port: config.server.port,
        assumeRoles: globals.assumeRole ?? [],
        noIp: globals.noIp ?? false,
        enforceImdsv2: config.server.enforce_imdsv2,
        routes: config.metadata.routes,
        region: config.aws.region,
        staleMinRemainingSeconds: config.cache.stale_min_remaining,
      };
      parseListenAddress(input.address);
      const source = await commandCredentialSource(app, globals, "serve");
      await runServer(input, { source, output: app.output, now: app.now, signal: app.signal });
    });
}
