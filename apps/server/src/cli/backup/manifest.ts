import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestStream } from '../../adapters/file-digest.ts';
import type { Engine } from '../../db/database.ts';

export const BACKUP_FORMAT = 'zegel-backup/v1';
export const MANIFEST_FILE = 'manifest.json';

export interface BackupFile {
  bytes: number;
  sha256: string;
}

/** What `zegel backup` wrote, and the hashes `backup verify` and `restore` check. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  zegelVersion: string;
  engine: Engine;
  /** The migrations applied to the backed-up database (zegel_migrations). */
  migrations: string[];
  /**
   * The audit checkpoint public key, derived from the server secret: lets `restore` tell that
   * it was given the same secret (which the backup does not hold) without revealing it.
   */
  auditPublicKey: string;
  database: BackupFile & { file: string };
  /** Blob copies under `blobs/<key>`. */
  blobs: (BackupFile & { key: string })[];
  /** Keys the database named but the store no longer had (deleted while the backup ran). */
  missingBlobs: string[];
}

/** A backup that cannot be used as it is; the message says why. */
export class BackupError extends Error {
  override name = 'BackupError';
}

const BLOB_KEY = /^[a-z0-9][a-z0-9/-]{0,200}$/;

/** Where a blob's copy lives in the backup; refuses keys that could leave the folder. */
export function blobPath(dir: string, key: string): string {
  if (!BLOB_KEY.test(key) || key.includes('..') || key.includes('//'))
    throw new BackupError(`the manifest names an invalid blob key: ${JSON.stringify(key).slice(0, 80)}`);
  return join(dir, 'blobs', ...key.split('/'));
}

export function readManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new BackupError(`${dir} is not a Zegel backup: it has no ${MANIFEST_FILE}`);
  let manifest: Partial<BackupManifest>;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new BackupError(`${MANIFEST_FILE} is damaged: it is not valid JSON`);
  }
  if (
    manifest?.format !== BACKUP_FORMAT ||
    (manifest.engine !== 'pglite' && manifest.engine !== 'postgres') ||
    !Array.isArray(manifest.migrations) ||
    typeof manifest.auditPublicKey !== 'string' ||
    !Array.isArray(manifest.blobs) ||
    !Array.isArray(manifest.missingBlobs) ||
    typeof manifest.database?.file !== 'string' ||
    !/^database\.[a-z.]+$/.test(manifest.database.file)
  )
    throw new BackupError(`${MANIFEST_FILE} is damaged or not of format ${BACKUP_FORMAT}`);
  return manifest as BackupManifest;
}

async function checkFile(path: string, expected: BackupFile, label: string): Promise<string | undefined> {
  if (!existsSync(path)) return `${label} is missing`;
  const actual = await digestStream(createReadStream(path));
  if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256)
    return `${label} is damaged (its SHA-256 or size differs from the manifest)`;
  return undefined;
}

/** Every problem with a backup: missing or damaged files, checked against the manifest's hashes. */
export async function verifyBackup(dir: string): Promise<{ manifest: BackupManifest; problems: string[] }> {
  const manifest = readManifest(dir);
  const problems: string[] = [];
  const database = await checkFile(join(dir, manifest.database.file), manifest.database, 'the database dump');
  if (database) problems.push(database);
  for (const blob of manifest.blobs) {
    const problem = await checkFile(blobPath(dir, blob.key), blob, `the blob ${blob.key}`);
    if (problem) problems.push(problem);
  }
  return { manifest, problems };
}
