/**
 * The list of weep's commands. Each entry registers one command (one file under `src/commands/`).
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import type { App } from "../app.ts";
import { registerCompletion } from "./completion.ts";
import { registerVersion } from "./version.ts";

/** Adds one command to the program. */
export type RegisterCommand = (program: Command, app: App) => void;

/** Every command weep has, in help order. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerVersion,
  registerCompletion,
];
