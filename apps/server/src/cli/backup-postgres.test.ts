import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { openTestDatabase } from '../../test/database.ts';
import { withDatabase } from '../../test/global-setup.ts';
import { createTestApp, TEST_SECRET } from '../../test/harness.ts';
import { expectInstallationWorks, fillInstallation, runZegel as run } from '../../test/installation.ts';
import { createFileBlobStore } from '../adapters/blob-store.ts';
import { openDatabase } from '../db/database.ts';

/**
 * `zegel backup` and `zegel restore` on PostgreSQL (pg_dump and pg_restore from PATH) with the
 * file blob store: an installation in use is backed up, restored into a new empty database and
 * used again. Runs under `npm run test:pg`; the PGlite twin is backup.test.ts.
 */
const postgres = inject('postgres');
const root = mkdtempSync(join(tmpdir(), 'zegel-backup-pg-'));
const targetName = `zegel_test_${process.pid}_restore_${crypto.randomUUID().replaceAll('-', '').slice(0, 8)}`;

afterAll(async () => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
  if (!postgres) return;
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${targetName} WITH (FORCE)`);
  await admin.end();
});

describe.runIf(postgres)('zegel backup and restore on PostgreSQL', () => {
  it('restores a backup made with pg_dump into an empty database, and the installation works', async () => {
    if (!postgres) return;
    const source = await openTestDatabase();
    const sourceDir = join(root, 'source');
    const t = await createTestApp({ database: source, blobs: createFileBlobStore(join(sourceDir, 'blobs')) });
    const filled = await fillInstallation(t);
    await t.close();

    vi.stubEnv('ZEGEL_SECRET', TEST_SECRET);
    vi.stubEnv('DATABASE_URL', source.url ?? '');
    const backup = join(root, 'backup');
    const made = await run(['backup', backup, '--data-dir', sourceDir]);
    expect(made).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Backed up the postgres database'),
    });
    await source.close();

    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${targetName}`);
    await admin.end();
    const targetUrl = withDatabase(postgres.adminUrl, targetName);
    vi.stubEnv('DATABASE_URL', targetUrl);
    const targetDir = join(root, 'target');
    const restored = await run(['restore', backup, '--data-dir', targetDir]);
    expect(restored).toMatchObject({ code: 0, stdout: expect.stringContaining('Restored the backup') });
    const again = await run(['restore', backup, '--data-dir', targetDir]);
    expect(again).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('the target database is not empty'),
    });
    const verified = await run(['audit', 'verify', '--data-dir', targetDir]);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining('1 checkpoint matched') });

    const target = await openDatabase({ databaseUrl: targetUrl });
    const restoredApp = await createTestApp({
      database: { ...target, url: targetUrl },
      blobs: createFileBlobStore(join(targetDir, 'blobs')),
    });
    try {
      await expectInstallationWorks(restoredApp, filled);
    } finally {
      await restoredApp.close();
      await target.close();
    }
  }, 120_000);
});
