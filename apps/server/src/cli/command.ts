import type { Readable, Writable } from 'node:stream';

/** Where a command reads and writes; tests pass in buffers. */
export interface CliIo {
  out: Writable;
  err: Writable;
  in: Readable;
}

/** Exit codes shared by every subcommand. */
export const Exit = { ok: 0, found: 1, usage: 2, error: 2 } as const;

/** A `zegel` subcommand. `run` resolves to the process exit code. */
export interface Command {
  name: string;
  summary: string;
  /** Full help text, printed for `zegel NAME --help`. */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown for wrong usage; main prints the message and the hint and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
