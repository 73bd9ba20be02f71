import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, TEST_SECRET, type TestApp } from '../../test/harness.ts';
import { expectInstallationWorks, fillInstallation, runZegel as run } from '../../test/installation.ts';
import { createFileBlobStore } from '../adapters/blob-store.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

/**
 * An embedded installation with a sent message, an attachment and an audit trail is backed up
 * with `zegel backup`, restored with `zegel restore` into an empty data directory that is given
 * the same server secret, and used again; a damaged backup is reported and refused.
 * (backup-postgres.test.ts does the same with pg_dump under `npm run test:pg`.)
 */

const root = mkdtempSync(join(tmpdir(), 'zegel-backup-'));
const source = join(root, 'source');
const backup = join(root, 'backup');
const target = join(root, 'target');

/** An app on a PGlite data directory with the file blob store under it, as `zegel serve` has. */
async function openInstallation(dataDir: string): Promise<{ t: TestApp; close(): Promise<void> }> {
  const database = await openDatabase({ dataDir });
  await migrate(database);
  const t = await createTestApp({
    database: { ...database, url: null },
    blobs: createFileBlobStore(join(dataDir, 'blobs')),
    config: { dataDir },
  });
  return {
    t,
    async close() {
      await t.close();
      await database.close();
    },
  };
}

let filled: Awaited<ReturnType<typeof fillInstallation>>;
beforeAll(async () => {
  if (inject('postgres')) return;
  const installation = await openInstallation(source);
  writeFileSync(join(source, 'secret'), `${TEST_SECRET}\n`);
  filled = await fillInstallation(installation.t);
  await installation.close();
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Embedded only, the same under `npm run test:pg`: that run has backup-postgres.test.ts instead.
describe.skipIf(inject('postgres'))('zegel backup and zegel restore', () => {
  it('backs up, refuses a wrong secret and a non-empty target, restores, and the installation works', async () => {
    const made = await run(['backup', backup, '--data-dir', source]);
    expect(made).toMatchObject({ code: 0, stdout: expect.stringContaining('Backed up the pglite database') });
    const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8'));
    expect(manifest.blobs.length).toBeGreaterThanOrEqual(2); // the attachment and the audit checkpoint
    expect(existsSync(join(backup, 'secret'))).toBe(false);
    expect((await run(['backup', 'verify', backup])).code).toBe(0);

    const noSecret = await run(['restore', backup, '--data-dir', target]);
    expect(noSecret).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('the backup does not hold it'),
    });
    mkdirSync(target);
    writeFileSync(join(target, 'secret'), `${'x'.repeat(48)}\n`);
    const wrongSecret = await run(['restore', backup, '--data-dir', target]);
    expect(wrongSecret).toMatchObject({ code: 2, stderr: expect.stringContaining('server secret differs') });
    writeFileSync(join(target, 'secret'), `${TEST_SECRET}\n`);
    const restored = await run(['restore', backup, '--data-dir', target]);
    expect(restored).toMatchObject({ code: 0, stdout: expect.stringContaining('Restored the backup') });
    const again = await run(['restore', backup, '--data-dir', target]);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('already holds a database') });

    const verified = await run(['audit', 'verify', '--data-dir', target]);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining('1 checkpoint matched') });
    const { t, close } = await openInstallation(target);
    try {
      await expectInstallationWorks(t, filled);
    } finally {
      await close();
    }
  }, 120_000);

  it('reports a damaged or missing file, and restore refuses such a backup', async () => {
    const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8'));
    const blob = manifest.blobs[0];
    const blobFile = join(backup, 'blobs', ...blob.key.split('/'));
    const bytes = readFileSync(blobFile);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    writeFileSync(blobFile, bytes);
    rmSync(join(backup, manifest.database.file));
    const checked = await run(['backup', 'verify', backup]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`the blob ${blob.key} is damaged`);
    expect(checked.stdout).toContain('the database dump is missing');
    const empty = join(root, 'empty');
    const refused = await run(['restore', backup, '--data-dir', empty]);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('the backup is damaged') });
    expect(existsSync(join(empty, 'pglite'))).toBe(false);
  });

  it('explains bad input with exit code 2', async () => {
    expect((await run(['backup'])).code).toBe(2);
    expect(await run(['backup', 'verify', join(root, 'nothing')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is not a Zegel backup'),
    });
    const nonEmpty = await run(['backup', backup, '--data-dir', source]);
    expect(nonEmpty).toMatchObject({ code: 2, stderr: expect.stringContaining('is not empty') });
  });
});
