import { type Config, ConfigError, environmentWith, loadConfig } from '../config.ts';
import { createBackup } from './backup/create.ts';
import { BackupError, verifyBackup } from './backup/manifest.ts';
import { restoreBackup } from './backup/restore.ts';
import { type CliIo, type Command, Exit, UsageError } from './command.ts';
import { parseCommandArgs } from './main.ts';
import { withDeps } from './with-deps.ts';

/** A BackupError becomes its message and exit code 2; anything else is a real failure. */
async function reportingBackupErrors(io: CliIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.err.write(`${error.message}.\n`);
    return Exit.error;
  }
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Back up the database and the blob store to a folder (backup DIR, backup verify DIR)',
  help: `Usage: zegel backup DIR [--data-dir DIR]
       zegel backup verify DIR

backup DIR     Writes the database (pg_dump on PostgreSQL, which must be on PATH; PGlite's own
               dump when embedded), every blob from the file or S3 store, and manifest.json with
               the SHA-256 of each file, into DIR (new or empty). It signs an audit checkpoint
               first. The server secret and the organisation recovery key are NOT in a backup:
               keep them apart (docs/backup.md).
backup verify  Checks every file of a backup against its manifest without restoring it.
               Exit 0 when whole, 1 naming each missing or damaged file, 2 on an error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' } },
    });
    if (positionals[0] === 'verify') {
      if (positionals.length !== 2) throw new UsageError('expected: zegel backup verify DIR');
      if (values['data-dir']) throw new UsageError('backup verify reads only the backup folder');
      const dir = positionals[1] as string;
      return reportingBackupErrors(io, async () => {
        const { manifest, problems } = await verifyBackup(dir);
        if (problems.length === 0) {
          io.out.write(
            `The backup of ${manifest.createdAt} is whole: the database and ${manifest.blobs.length} blobs match the manifest.\n`,
          );
          return Exit.ok;
        }
        io.out.write(`The backup is damaged:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
        return Exit.found;
      });
    }
    if (positionals.length !== 1)
      throw new UsageError('expected: zegel backup DIR, or zegel backup verify DIR');
    const dir = positionals[0] as string;
    return withDeps(io, values['data-dir'], (deps, database) =>
      reportingBackupErrors(io, async () => {
        const manifest = await createBackup(deps, database, dir);
        io.out.write(
          `Backed up the ${manifest.engine} database and ${manifest.blobs.length} blobs to ${dir}.\n` +
            (manifest.missingBlobs.length > 0
              ? `${manifest.missingBlobs.length} blobs were deleted while the backup ran and are not in it.\n`
              : ''),
        );
        return Exit.ok;
      }),
    );
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore a backup into an empty installation',
  help: `Usage: zegel restore DIR [--data-dir DIR]

Checks the backup in DIR (as backup verify does), then restores it into the configured
installation, which must be empty: a new PostgreSQL database (DATABASE_URL; pg_restore on
PATH) or a new data directory, and an empty blob store. The installation's server secret
(ZEGEL_SECRET, or the secret file in the data directory) must be the backed-up one's; restore
refuses another. Newer migrations are applied after the restore.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' } },
    });
    if (positionals.length !== 1) throw new UsageError('expected: zegel restore DIR');
    const dir = positionals[0] as string;
    let config: Config;
    try {
      config = loadConfig({}, environmentWith({ ZEGEL_DATA_DIR: values['data-dir'] }), { forServing: false });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err.write(`${error.message}\n`);
      return Exit.error;
    }
    return reportingBackupErrors(io, async () => {
      const { manifest, applied } = await restoreBackup(config, dir);
      io.out.write(
        `Restored the backup of ${manifest.createdAt} (${manifest.blobs.length} blobs).\n` +
          (applied.length > 0 ? `Then applied: ${applied.join(', ')}\n` : ''),
      );
      return Exit.ok;
    });
  },
};
