import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { environmentWith } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { BackupError } from './manifest.ts';

/**
 * Runs a PostgreSQL client tool. The password goes in PGPASSWORD rather than on the command
 * line, where every user of the machine could read it in the process list.
 */
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${url.toString()}`], {
      env: environmentWith({ PGPASSWORD: password || undefined }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new BackupError(
              `${tool} is not on PATH: install the PostgreSQL client tools (postgresql-client, the server's major version or newer)`,
            )
          : error,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new BackupError(
              `${tool} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`,
            ),
          ),
    );
  });
}

/** Writes the database to `path`: pg_dump's custom format on PostgreSQL, PGlite's own tarball embedded. */
export async function dumpDatabase(database: Database, databaseUrl: string | undefined, path: string) {
  if (database.engine === 'postgres' && databaseUrl)
    return runPgTool(
      'pg_dump',
      ['--format=custom', '--no-owner', '--no-privileges', `--file=${path}`],
      databaseUrl,
    );
  if (!database.dumpDataDir) throw new BackupError('this database cannot be dumped');
  writeFileSync(path, await database.dumpDataDir());
}

/** Loads a pg_dump file into an empty PostgreSQL database, in one transaction. */
export function restorePostgres(databaseUrl: string, path: string): Promise<void> {
  return runPgTool(
    'pg_restore',
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', path],
    databaseUrl,
  );
}
