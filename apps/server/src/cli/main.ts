import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type CliIo, type Command, Exit, UsageError } from './command.ts';
import { commands } from './commands.ts';

function printOverview(io: CliIo): void {
  const width = Math.max(...commands.map((c) => c.name.length));
  io.out.write('Usage: zegel <command> [options]\n\nCommands:\n');
  for (const c of commands) io.out.write(`  ${c.name.padEnd(width)}  ${c.summary}\n`);
  io.out.write('\nRun `zegel <command> --help` for the options of one command.\n');
}

/** Entry point of the `zegel` command; returns the exit code instead of exiting so tests can call it. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    printOverview(io);
    return name === undefined ? Exit.usage : Exit.ok;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.err.write(`zegel: unknown command "${name}"\n`);
    printOverview(io);
    return Exit.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out.write(`${command.help.trimEnd()}\n`);
    return Exit.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err.write(
        `zegel ${command.name}: ${(error as Error).message}\nRun \`zegel ${command.name} --help\`.\n`,
      );
      return Exit.usage;
    }
    io.err.write(`zegel ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return Exit.error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** parseArgs with strict checking; unknown options become a UsageError. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T) {
  return parseArgs<T & { strict: true }>({ allowPositionals: true, ...config, strict: true });
}
