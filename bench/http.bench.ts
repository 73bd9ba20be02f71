/**
 * Requests per second of GET /api/health and an authenticated GET /api/me on the embedded
 * stack (PGlite), each as a ratio to a bare Fastify hello-world measured in the same run.
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createApp } from '../apps/server/src/app.ts';
import { createDeps } from '../apps/server/src/boot.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { createOrganisation } from '../apps/server/src/features/accounts/organisations.ts';
import { startSession } from '../apps/server/src/features/accounts/sessions.ts';
import { insertUser } from '../apps/server/src/features/accounts/store.ts';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

async function measure(url: string, headers: Record<string, string> = {}): Promise<number> {
  // A short warm-up so JIT compilation is not counted against the first server measured.
  await autocannon({ url, connections: CONNECTIONS, duration: 1, headers });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, headers });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const bare = Fastify({ logger: false });
bare.get('/', async () => ({ hello: 'world' }));
const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

const database = await openDatabase({});
await migrate(database);
const config = loadConfig(
  { embedded: true, secret: 'bench-secret-that-is-long-enough-000000', logLevel: 'silent' },
  {},
);
const deps = createDeps(config, database);
const app = await createApp(deps, { logger: false, webDist: '/nonexistent' });
const appUrl = await app.listen({ host: '127.0.0.1', port: 0 });

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

const baseline = await measure(bareUrl);
const health = await measure(`${appUrl}/api/health`);
const me = await measure(`${appUrl}/api/me`, { cookie: `zegel_session=${token}` });

const row = (name: string, rps: number) =>
  console.log(
    `${name.padEnd(34)} ${rps.toFixed(0).padStart(8)} req/s   ratio to bare Fastify ${(rps / baseline).toFixed(2)}`,
  );
console.log(`${DURATION_SECONDS}s each, ${CONNECTIONS} connections, one process (PGlite)`);
row('bare Fastify hello-world', baseline);
row('GET /api/health', health);
row('GET /api/me (session + 2 queries)', me);

await app.close();
await bare.close();
await database.close();
