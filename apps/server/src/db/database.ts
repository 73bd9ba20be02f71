import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

/** An open database: the Kysely handle plus what migrations and shutdown need. */
export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** Runs a multi-statement SQL script and records it as applied, in one transaction (migrations only). */
  applyMigration(name: string, script: string): Promise<void>;
  /** Runs a multi-statement SQL script as it is (schema fixtures in tests; never user input). */
  runScript(script: string): Promise<void>;
  /** Runs `work` while holding a cluster-wide lock (PostgreSQL advisory lock; PGlite is single-process). */
  withExclusiveLock<T>(lockId: number, work: () => Promise<T>): Promise<T>;
  /** PGlite only: its data directory as a tarball (PGlite's own dump, for `zegel backup`). */
  dumpDataDir?(): Promise<Uint8Array>;
  close(): Promise<void>;
  /** Connection pool use now (PostgreSQL); null for PGlite, which has no pool. */
  poolStats(): PoolStats | null;
}

export interface PoolStats {
  max: number;
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

/** Thrown when another process already has the PGlite data directory open. */
export class DataDirectoryLockedError extends Error {
  override name = 'DataDirectoryLockedError';
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; `undefined` means an in-memory database (tests). */
  dataDir?: string | undefined;
  /** PGlite only: start a new data directory from a `dumpDataDir` tarball (`zegel restore`). */
  loadDataDir?: Uint8Array | undefined;
}

// Keep timestamps as JS Dates and bigints as numbers on both engines.
pg.types.setTypeParser(20, (value) => Number(value));

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openPglite(options.dataDir, options.loadDataDir);
}

const POOL_MAX = 10;

async function openPostgres(databaseUrl: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_MAX });
  // An idle client whose server connection ends (a PostgreSQL restart or failover) emits
  // 'error' on the pool; without a listener that would crash the process. The pool drops the
  // broken client and the next query opens a new connection.
  pool.on('error', () => {});
  // Fail at boot with the driver's message rather than on the first request.
  const probe = await pool.connect();
  probe.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    async applyMigration(name, script) {
      const client = await pool.connect();
      try {
        // Without parameters pg uses the simple query protocol, which runs a whole script.
        await client.query('BEGIN');
        await client.query(script);
        await client.query('INSERT INTO zegel_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    async runScript(script) {
      await pool.query(script);
    },
    async withExclusiveLock(lockId, work) {
      // Advisory locks belong to a connection, so lock and unlock on one dedicated client.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [lockId]);
        try {
          return await work();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [lockId]);
        }
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
    poolStats: () => ({
      max: POOL_MAX,
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
  };
}

async function openPglite(dataDir: string | undefined, loadDataDir?: Uint8Array): Promise<Database> {
  let releaseLock = () => {};
  let pglite: PGlite;
  if (dataDir) {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    releaseLock = lockDataDirectory(dir);
    try {
      pglite = await PGlite.create(join(dir, 'pglite'), {
        postgresqlconf: EMBEDDED_POSTGRESQL_CONF,
        ...(loadDataDir ? { loadDataDir: new Blob([new Uint8Array(loadDataDir)]) } : {}),
      });
    } catch (error) {
      releaseLock();
      throw error;
    }
  } else {
    pglite = await PGlite.create();
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite: pglite as never }) });
  return {
    db,
    engine: 'pglite',
    async applyMigration(name, script) {
      // PGlite's query() runs one statement; exec() runs a script. Migrations run at boot,
      // before Kysely issues any query, so using PGlite directly here cannot interleave.
      await pglite.transaction(async (tx) => {
        await tx.exec(script);
        await tx.query('INSERT INTO zegel_migrations (name) VALUES ($1)', [name]);
      });
    },
    async runScript(script) {
      await pglite.exec(script);
    },
    withExclusiveLock: (_lockId, work) => work(),
    async dumpDataDir() {
      return new Uint8Array(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
    },
    async close() {
      await db.destroy();
      releaseLock();
    },
    poolStats: () => null,
  };
}

/**
 * PGlite is single-process: a second process on the same directory would corrupt it. A lock
 * file created with O_EXCL holds our pid; a lock whose process is gone is taken over.
 */
/**
 * Memory settings for embedded mode (one small organisation on a laptop or a small server).
 * PGlite's WebAssembly memory only grows, so PostgreSQL's defaults (128 MB shared buffers, 64 MB
 * for index builds) stay resident after migrations touched them; these smaller values cut idle
 * memory by about a third (docs/performance.md) with no effect on correctness.
 */
const EMBEDDED_POSTGRESQL_CONF = [
  'shared_buffers = 16MB',
  'maintenance_work_mem = 16MB',
  'temp_buffers = 2MB',
];

function lockDataDirectory(dir: string): () => void {
  const lockPath = join(dir, 'zegel.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8').trim());
      // Our own pid counts as a holder too: two PGlite instances in one process corrupt it just the same.
      if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) {
        throw new DataDirectoryLockedError(
          `The data directory ${dir} is in use by another Zegel process (pid ${holder}). ` +
            'PGlite allows one process per directory; stop the other one, or use PostgreSQL (DATABASE_URL) to run several.',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirectoryLockedError(`Could not lock the data directory ${dir}.`);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
