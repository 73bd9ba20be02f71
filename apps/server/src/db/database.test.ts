import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DataDirectoryLockedError, openDatabase } from './database.ts';
import { listMigrations, migrate } from './migrate.ts';

const ZEGEL_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/zegel.js');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zegel-db-'));
  dirs.push(dir);
  return dir;
}

describe('PGlite data directory', () => {
  it('persists across opens and migrates once', async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir });
    expect((await migrate(first)).applied).toEqual(listMigrations().map((m) => m.name));
    await first.close();
    const second = await openDatabase({ dataDir });
    expect((await migrate(second)).applied).toEqual([]);
    await second.close();
  });

  it('refuses a second opener in this process', async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir });
    try {
      await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirectoryLockedError);
    } finally {
      await first.close();
    }
  });

  it('gives a second process on the same directory a clear error, not corruption', async () => {
    const dataDir = tempDir();
    const holder = await openDatabase({ dataDir });
    try {
      const child = spawn(process.execPath, [ZEGEL_BIN, 'migrate', '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const code = await new Promise<number | null>((done) => child.on('close', done));
      expect(code).toBe(2);
      expect(stderr).toContain('is in use by another Zegel process');
      expect(stderr).toContain(String(process.pid));
    } finally {
      await holder.close();
    }
    const reopened = await openDatabase({ dataDir });
    await reopened.close();
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dataDir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dataDir, 'zegel.lock'), '999999999');
    const database = await openDatabase({ dataDir });
    await database.close();
  });
});

describe.runIf(inject('postgres'))('several processes on one PostgreSQL', () => {
  it('migrates exactly once when processes start at the same moment', async () => {
    const { openTestDatabase } = await import('../../test/database.ts');
    const empty = await openTestDatabase();
    try {
      // Start from an empty database: drop what the template brought.
      await empty.db.schema.dropTable('zegel_migrations').execute();
      const { sql } = await import('kysely');
      await sql`DROP SCHEMA public CASCADE; CREATE SCHEMA public`.execute(empty.db);
      const runs = await Promise.all(
        Array.from({ length: 4 }, () =>
          openDatabase({ databaseUrl: empty.url! }).then(async (d) => {
            const result = await migrate(d);
            await d.close();
            return result.applied;
          }),
        ),
      );
      const all = runs.flat();
      expect(all.sort()).toEqual(
        listMigrations()
          .map((m) => m.name)
          .sort(),
      );
      const rows = await empty.db.selectFrom('zegel_migrations').select('name').execute();
      expect(rows).toHaveLength(listMigrations().length);
    } finally {
      await empty.close();
    }
  });

  it('survives the server ending its idle connections (restart, failover)', async () => {
    const { openTestDatabase } = await import('../../test/database.ts');
    const database = await openTestDatabase();
    try {
      const { sql } = await import('kysely');
      await sql`SELECT 1`.execute(database.db);
      const other = await openDatabase({ databaseUrl: database.url! });
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`.execute(other.db);
      await other.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
      expect(again.rows[0]?.one).toBe(1);
    } finally {
      await database.close();
    }
  });
});
