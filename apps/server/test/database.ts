import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { withDatabase } from './global-setup.ts';

export interface TestDatabase extends Database {
  /** The PostgreSQL URL of this database (null on PGlite), for a second server process. */
  url: string | null;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a clone of
 * the migrated template on the local PostgreSQL under `npm run test:pg`.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const postgres = inject('postgres');
  if (!postgres) {
    const database = await openDatabase({});
    await migrate(database);
    return { ...database, url: null };
  }
  const pid = postgres.template.replace('zegel_test_template_', '');
  const name = `zegel_test_${pid}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${postgres.template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(postgres.adminUrl, name);
  const database = await openDatabase({ databaseUrl: url });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: postgres.adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
