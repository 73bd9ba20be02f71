import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { deriveAuditChainKeys } from '@zegel/protocol/crypto';
import { digestStream } from '../../adapters/file-digest.ts';
import type { Database } from '../../db/database.ts';
import { listAppliedMigrations } from '../../db/migrate.ts';
import type { Deps } from '../../deps.ts';
import { listFileBlobKeys } from '../../features/files/index.ts';
import { AuditAnchorError, listCheckpointKeys } from '../../platform/audit/index.ts';
import { dumpDatabase } from './database-dump.ts';
import { BACKUP_FORMAT, BackupError, type BackupManifest, blobPath, MANIFEST_FILE } from './manifest.ts';

/**
 * Writes a backup of the database and the blob store to `dir`: a checkpoint of the audit trail
 * first (so the copy carries an anchor for its own chain), the database dump, then every blob
 * the database names, each with its SHA-256. A blob deleted between listing and
 * copying (shredded or expired meanwhile) is noted in the manifest, not an error.
 */
export async function createBackup(deps: Deps, database: Database, dir: string): Promise<BackupManifest> {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new BackupError(`the backup folder ${dir} is not empty; give a new or empty folder`);
  mkdirSync(dir, { recursive: true });
  try {
    await deps.audit.checkpoint();
  } catch (error) {
    // A trail that contradicts its checkpoint is still backed up as it is; verify reports it.
    if (!(error instanceof AuditAnchorError)) throw error;
  }
  const migrations = await listAppliedMigrations(database);
  const databaseFile = database.engine === 'postgres' ? 'database.pgdump' : 'database.pglite.tar.gz';
  await dumpDatabase(database, deps.config.databaseUrl, join(dir, databaseFile));
  // Listed after the dump: every key the dump names is still listed unless it was deleted since.
  const keys = [...new Set([...(await listFileBlobKeys(deps)), ...(await listCheckpointKeys(deps.blobs))])];
  const blobs: BackupManifest['blobs'] = [];
  const missingBlobs: string[] = [];
  for (const key of keys) {
    const source = await deps.blobs.getStream(key);
    if (!source) {
      missingBlobs.push(key);
      continue;
    }
    const path = blobPath(dir, key);
    mkdirSync(dirname(path), { recursive: true });
    await pipeline(source, createWriteStream(path));
    blobs.push({ key, ...(await digestStream(createReadStream(path))) });
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: deps.clock.now().toISOString(),
    zegelVersion: deps.version,
    engine: database.engine,
    migrations,
    auditPublicKey: (await deriveAuditChainKeys(deps.config.secret)).publicKey,
    database: { file: databaseFile, ...(await digestStream(createReadStream(join(dir, databaseFile)))) },
    blobs,
    missingBlobs,
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
