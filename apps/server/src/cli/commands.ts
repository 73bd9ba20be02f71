import type { Command } from './command.ts';

/** Every `zegel` subcommand, in the order `zegel --help` lists them. */
export const commands: Command[] = [];
