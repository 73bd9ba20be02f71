import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary but fixed: every Zegel process takes this advisory lock to migrate. */
const MIGRATION_LOCK_ID = 7_346_001;

/** The database was migrated by a newer Zegel: this version does not know its schema. */
export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError';
}

export interface MigrationResult {
  applied: string[];
}

/** The migration files in order: `NNNN_name.sql`, forward-only, never edited once released. */
export function listMigrations(): { name: string; script: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      name: file.replace(/\.sql$/, ''),
      script: readFileSync(join(MIGRATIONS_DIR, file), 'utf8'),
    }));
}

/**
 * Applies pending migrations. On PostgreSQL, processes that start together queue on an
 * advisory lock and each re-reads what is applied once it holds the lock, so every migration
 * runs exactly once however many processes boot at the same moment. A database that holds
 * migrations this version does not know was migrated by a newer one: refused, nothing applied.
 */
export async function migrate(database: Database): Promise<MigrationResult> {
  return database.withExclusiveLock(MIGRATION_LOCK_ID, async () => {
    await sql`CREATE TABLE IF NOT EXISTS zegel_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(database.db);
    const done = new Set(
      (await database.db.selectFrom('zegel_migrations').select('name').execute()).map((row) => row.name),
    );
    const known = listMigrations();
    const unknown = [...done].filter((name) => !known.some((m) => m.name === name)).sort();
    if (unknown.length > 0)
      throw new NewerSchemaError(
        `the database was migrated by a newer Zegel (migrations this version does not know: ${unknown.join(', ')}). ` +
          'Start that version or a newer one; Zegel never migrates a database back (docs/backup.md, "Upgrades").',
      );
    const applied: string[] = [];
    for (const migration of known) {
      if (done.has(migration.name)) continue;
      await database.applyMigration(migration.name, migration.script);
      applied.push(migration.name);
    }
    return { applied };
  });
}

/** The names of the migrations applied to a database, in order (`zegel backup` records them). */
export async function listAppliedMigrations(database: Database): Promise<string[]> {
  const rows = await database.db.selectFrom('zegel_migrations').select('name').orderBy('name').execute();
  return rows.map((row) => row.name);
}

/** True when the database has no tables at all: a target `zegel restore` may load into. */
export async function isDatabaseEmpty(database: Database): Promise<boolean> {
  const tables = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables
    WHERE table_schema = 'public'`.execute(database.db);
  return (tables.rows[0]?.n ?? 0) === 0;
}
