/**
 * `deno task weep <args>`: runs weep from source under exactly its permission set, passing through stdin,
 * stdout, stderr, the exit code and Ctrl-C.
 *
 * @module
 */

import { currentPathEnv, weepRunArgs } from "./weep_command.ts";

const child = new Deno.Command(Deno.execPath(), {
  args: [...weepRunArgs(currentPathEnv()), ...Deno.args],
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
// The child gets Ctrl-C from the terminal itself; keep this launcher alive until it has exited.
Deno.addSignalListener("SIGINT", () => {});
const status = await child.status;
Deno.exit(status.signal ? 128 + (status.signal === "SIGINT" ? 2 : 15) : status.code);
