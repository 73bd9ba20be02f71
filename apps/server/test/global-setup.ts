import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';

/**
 * `npm run test:pg` (ZEGEL_TEST_DATABASE=postgres): creates one migrated template database
 * on the local PostgreSQL; each test file then clones it (CREATE DATABASE … TEMPLATE), which
 * takes a fraction of a second and isolates files from each other. Everything is dropped at the end.
 */
export default async function setup(project: TestProject) {
  if (process.env.ZEGEL_TEST_DATABASE !== 'postgres') {
    project.provide('postgres', null);
    return;
  }
  const adminUrl = process.env.ZEGEL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const template = `zegel_test_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const database = await openDatabase({ databaseUrl: withDatabase(adminUrl, template) });
  await migrate(database);
  await database.close();
  project.provide('postgres', { adminUrl, template });
  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'zegel_test_%'`,
    );
    for (const { datname } of leftovers.rows) {
      if (datname === template || datname.startsWith(`zegel_test_${process.pid}_`)) {
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
    }
    await admin.end();
  };
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { adminUrl: string; template: string } | null;
  }
}
