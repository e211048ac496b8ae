/**
 * The list of weep's commands. Each entry registers one command (one file under `src/commands/`).
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { App } from "../app/app.ts";
import { registerCache } from "./cache.ts";
import { registerCompletion } from "./completion.ts";
import { registerConfig } from "./config.ts";
import { registerConsole } from "./console.ts";
import { registerCredentialProcess } from "./credential_process.ts";
import { registerDoctor } from "./doctor.ts";
import { registerExport } from "./export.ts";
import { registerFile } from "./file.ts";
import { registerGenerate } from "./generate.ts";
import { registerInfo } from "./info.ts";
import { registerList } from "./list.ts";
import { registerOpen } from "./open.ts";
import { registerSearch } from "./search.ts";
import { registerServe } from "./serve.ts";
import { registerSetup } from "./setup.ts";
import { registerVersion } from "./version.ts";
import { registerWhoami } from "./whoami.ts";

/** Adds one command to the program. */
export type RegisterCommand = (program: Command, app: App) => void;

/** Every command weep has. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerCredentialProcess,
  registerGenerate,
  registerConfig,
  registerList,
  registerExport,
  registerFile,
  registerConsole,
  registerOpen,
  registerSearch,
  registerServe,
  registerSetup,
  registerCache,
  registerWhoami,
  registerInfo,
  registerDoctor,
  registerVersion,
  registerCompletion,
];
