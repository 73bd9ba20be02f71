/**
 * Requests per second of GET /api/health and an authenticated GET /api/me (session lookup,
 * then the organisation and teams), on PGlite and on PostgreSQL (a throw-away database on
 * 127.0.0.1:5432, or ZEGEL_BENCH_POSTGRES_URL), each as a ratio to a bare Fastify hello-world
 * measured in the same run. Rounds alternate hello-world and Zegel, so load from other
 * processes falls on both alike; the figures are medians of BENCH_ROUNDS rounds (default 3) of
 * BENCH_SECONDS seconds (default 3) each.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { createApp } from '../apps/server/src/app.ts';
import { createDeps } from '../apps/server/src/boot.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { type Database, openDatabase } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { createOrganisation } from '../apps/server/src/features/accounts/organisations.ts';
import { startSession } from '../apps/server/src/features/accounts/sessions.ts';
import { insertUser } from '../apps/server/src/features/accounts/store.ts';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const ADMIN_URL = process.env.ZEGEL_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** BENCH_ENGINES=postgres (or pglite) runs one engine only, e.g. under a profiler. */
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',');

async function requestsPerSecond(url: string, headers: Record<string, string> = {}): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** A migrated Zegel app on `database` with one signed-in member; returns its URL and session cookie. */
async function startZegel(database: Database) {
  await migrate(database);
  const config = loadConfig(
    { embedded: true, secret: 'bench-secret-that-is-long-enough-000000', logLevel: 'silent' },
    {},
  );
  const deps = createDeps(config, database);
  const app = await createApp(deps, { logger: false, webDist: '/nonexistent' });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const org = await createOrganisation(deps, { name: 'Bench', mailDomains: [] });
  const userId = crypto.randomUUID();
  await insertUser(deps.db, {
    id: userId,
    organisationId: org.id,
    email: 'bench@example.nl',
    name: 'Bench',
    role: 'member',
    kdfSalt: new Uint8Array(16),
    kdfParams: { algorithm: 'argon2id', memoryKiB: 256, iterations: 1, parallelism: 1 },
    loginHash: 'scrypt$unused',
  });
  const { token } = await startSession(deps, userId, 'full', { ip: '127.0.0.1', userAgent: 'bench' });
  return { url, cookie: `zegel_session=${token}`, close: () => app.close() };
}

async function runOn(engine: string, database: Database, bareUrl: string): Promise<void> {
  const zegel = await startZegel(database);
  try {
    const me = { cookie: zegel.cookie };
    // Warm-up: JIT compilation and the first queries' plans are not counted.
    await autocannon({ url: bareUrl, connections: CONNECTIONS, duration: 1 });
    await autocannon({ url: `${zegel.url}/api/me`, connections: CONNECTIONS, duration: 1, headers: me });
    const figures = { bare: [] as number[], health: [] as number[], me: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      figures.bare.push(await requestsPerSecond(bareUrl));
      figures.health.push(await requestsPerSecond(`${zegel.url}/api/health`));
      figures.me.push(await requestsPerSecond(`${zegel.url}/api/me`, me));
    }
    const ratio = (name: 'health' | 'me') => median(figures[name].map((rps, i) => rps / figures.bare[i]!));
    const row = (name: string, rps: number, ratioToBare: string) =>
      console.log(
        `${name.padEnd(38)} ${rps.toFixed(0).padStart(8)} req/s   ratio to bare Fastify ${ratioToBare}`,
      );
    console.log(
      `${engine}: median of ${ROUNDS} rounds of ${DURATION_SECONDS}s, ${CONNECTIONS} connections, one process`,
    );
    row('  bare Fastify hello-world (baseline)', median(figures.bare), '1.00');
    row('  GET /api/health', median(figures.health), ratio('health').toFixed(2));
    row('  GET /api/me (one query: session + profile)', median(figures.me), ratio('me').toFixed(2));
  } finally {
    await zegel.close();
  }
}

const bare = Fastify({ logger: false });
bare.get('/', async () => ({ hello: 'world' }));
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

// DROP DATABASE … WITH (FORCE) may reach a pooled connection that is still closing; its
// "terminating connection" error is expected then and not a failure of the benchmark.
process.on('uncaughtException', (error) => {
  if ((error as { code?: string }).code === '57P01') return;
  throw error;
});

try {
  if (ENGINES.includes('pglite')) {
    const pglite = await openDatabase({});
    try {
      await runOn('PGlite (in memory)', pglite, bareUrl);
    } finally {
      await pglite.close();
    }
  }
  if (ENGINES.includes('postgres')) await runOnPostgres(bareUrl);
} finally {
  await bare.close();
}

async function runOnPostgres(bareUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    console.log(
      `PostgreSQL skipped: cannot connect to ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')} (${(error as Error).message})`,
    );
    return;
  }
  const name = `zegel_bench_http_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const postgres = await openDatabase({ databaseUrl: url.toString() });
    try {
      await runOn('PostgreSQL', postgres, bareUrl);
    } finally {
      await postgres.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
