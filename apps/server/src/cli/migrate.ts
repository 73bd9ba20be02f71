import { migrate } from '../db/migrate.ts';
import { type Command, Exit } from './command.ts';
import { parseCommandArgs } from './main.ts';
import { withDeps } from './with-deps.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply database migrations and exit',
  help: `Usage: zegel migrate [--data-dir DIR]

Applies pending migrations to the database of DATABASE_URL, or to PGlite in the data
directory. The server also migrates at start; this command is for deployments that
migrate in a separate step. Safe to run from several machines at once.`,
  async run(args, io) {
    const { values } = parseCommandArgs({
      args,
      allowPositionals: false,
      options: { 'data-dir': { type: 'string' } },
    });
    return withDeps(io, values['data-dir'], async (_deps, database) => {
      const { applied } = await migrate(database);
      io.out.write(
        applied.length === 0 ? 'The database is up to date.\n' : `Applied: ${applied.join(', ')}\n`,
      );
      return Exit.ok;
    });
  },
};
