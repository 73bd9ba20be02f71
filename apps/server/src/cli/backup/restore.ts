import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deriveAuditChainKeys } from '@zegel/protocol/crypto';
import { createBlobStore } from '../../boot.ts';
import type { Config } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import { isDatabaseEmpty, listMigrations, migrate } from '../../db/migrate.ts';
import { restorePostgres } from './database-dump.ts';
import { BackupError, type BackupManifest, blobPath, verifyBackup } from './manifest.ts';

/** The server secret as the target will use it; embedded mode reads it from the data directory. */
function targetSecret(config: Config): string {
  if (config.secret) return config.secret;
  const path = join(resolve(config.dataDir), 'secret');
  if (config.databaseUrl || !existsSync(path))
    throw new BackupError(
      config.databaseUrl
        ? 'set ZEGEL_SECRET to the server secret of the backed-up installation first (the backup does not hold it)'
        : `put the server secret of the backed-up installation in ${path} first (the backup does not hold it)`,
    );
  return readFileSync(path, 'utf8').trim();
}

/** Everything that must hold before anything is written: a whole backup, a known schema, the same secret. */
async function checkBackup(config: Config, dir: string): Promise<BackupManifest> {
  const { manifest, problems } = await verifyBackup(dir);
  if (problems.length > 0) throw new BackupError(`the backup is damaged: ${problems.join('; ')}`);
  const known = new Set(listMigrations().map((m) => m.name));
  const unknown = manifest.migrations.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new BackupError(
      `the backup was made by a newer Zegel (${manifest.zegelVersion}; unknown migrations ${unknown.join(', ')}): restore it with that version or newer`,
    );
  const engine = config.databaseUrl ? 'postgres' : 'pglite';
  if (manifest.engine !== engine)
    throw new BackupError(
      `the backup is of a ${manifest.engine} database, this installation uses ${engine}: restore it into the same kind`,
    );
  if ((await deriveAuditChainKeys(targetSecret(config))).publicKey !== manifest.auditPublicKey)
    throw new BackupError('the server secret differs from the backed-up installation’s: use that secret');
  return manifest;
}

/** Refuses a target that already holds data: a restore never merges into a live installation. */
async function checkEmpty(config: Config, manifest: BackupManifest): Promise<void> {
  if (config.databaseUrl) {
    const database = await openDatabase({ databaseUrl: config.databaseUrl });
    try {
      if (!(await isDatabaseEmpty(database)))
        throw new BackupError('the target database is not empty: restore into a new, empty database');
    } finally {
      await database.close();
    }
  } else if (existsSync(join(resolve(config.dataDir), 'pglite'))) {
    throw new BackupError(
      `the data directory ${resolve(config.dataDir)} already holds a database: restore into a new, empty one`,
    );
  }
  const blobs = createBlobStore(config);
  for (const blob of manifest.blobs)
    if ((await blobs.size(blob.key)) !== undefined)
      throw new BackupError(
        `the blob store is not empty (it already holds ${blob.key}): restore into an empty one`,
      );
}

/**
 * Restores a verified backup into an empty installation: the database (pg_restore, or a new
 * PGlite data directory from its tarball), then every blob, then pending migrations when the
 * backup came from an older version. Returns the migrations applied after the restore.
 */
export async function restoreBackup(
  config: Config,
  dir: string,
): Promise<{ manifest: BackupManifest; applied: string[] }> {
  const manifest = await checkBackup(config, dir);
  await checkEmpty(config, manifest);
  const dumpPath = join(dir, manifest.database.file);
  if (config.databaseUrl) await restorePostgres(config.databaseUrl, dumpPath);
  else {
    const loaded = await openDatabase({ dataDir: config.dataDir, loadDataDir: readFileSync(dumpPath) });
    await loaded.close();
  }
  const blobs = createBlobStore(config);
  for (const blob of manifest.blobs)
    await blobs.putStream(blob.key, createReadStream(blobPath(dir, blob.key)), { size: blob.bytes });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { applied } = await migrate(database);
    return { manifest, applied };
  } finally {
    await database.close();
  }
}
