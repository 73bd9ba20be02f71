import { createDeps, ensureEmbeddedSecret } from '../boot.ts';
import { type Config, ConfigError, environmentWith, loadConfig } from '../config.ts';
import { type Database, DataDirectoryLockedError, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import type { Deps } from '../deps.ts';
import type { CliIo } from './command.ts';
import { Exit } from './command.ts';

/**
 * Opens the configured database (migrating it first) for a one-off command, runs `work`,
 * and closes it again. Configuration and lock problems become a message and exit code 2.
 */
export async function withDeps(
  io: CliIo,
  dataDir: string | undefined,
  work: (deps: Deps, database: Database) => Promise<number>,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig({}, environmentWith({ ZEGEL_DATA_DIR: dataDir }), { forServing: false });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err.write(`${error.message}\n`);
      return Exit.error;
    }
    throw error;
  }
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DataDirectoryLockedError) {
      io.err.write(`${error.message}\n`);
      return Exit.error;
    }
    throw error;
  }
  try {
    await migrate(database);
    const withSecret = config.databaseUrl ? config : ensureEmbeddedSecret(config);
    if (!withSecret.secret) {
      io.err.write('ZEGEL_SECRET is required with DATABASE_URL.\n');
      return Exit.error;
    }
    return await work(createDeps(withSecret, database), database);
  } finally {
    await database.close();
  }
}
