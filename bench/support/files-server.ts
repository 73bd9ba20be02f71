/**
 * The Zegel server for bench/files.bench.ts, in its own process so that its resident memory can
 * be read alone: PostgreSQL (a database made for the run) or, without one, embedded PGlite; the
 * file blob store in a temporary directory or, with BENCH_S3_ENDPOINT, an S3-compatible bucket
 * (s3rver's fixed credentials); one signed-in user. Prints `{"url","cookie","pid"}` as one JSON line when it listens.
 */
import { join } from 'node:path';
import { createFileBlobStore } from '../../apps/server/src/adapters/blob-store.ts';
import { createS3BlobStore } from '../../apps/server/src/adapters/s3-blob-store.ts';
import { createApp } from '../../apps/server/src/app.ts';
import { createDeps } from '../../apps/server/src/boot.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { openDatabase } from '../../apps/server/src/db/database.ts';
import { migrate } from '../../apps/server/src/db/migrate.ts';
import { createOrganisation } from '../../apps/server/src/features/accounts/organisations.ts';
import { startSession } from '../../apps/server/src/features/accounts/sessions.ts';
import { insertUser } from '../../apps/server/src/features/accounts/store.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: files-server.ts DIR');
const databaseUrl = process.argv[3];
const database = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: join(dir, 'data') });
await migrate(database);
const config = loadConfig(
  {
    embedded: true,
    secret: 'bench-secret-that-is-long-enough-000000',
    logLevel: 'silent',
    dataDir: join(dir, 'data'),
  },
  {},
);
const s3Endpoint = process.env.BENCH_S3_ENDPOINT;
const blobs = s3Endpoint
  ? createS3BlobStore({
      bucket: process.env.BENCH_S3_BUCKET ?? 'zegel-test',
      region: 'eu-west-1',
      endpoint: s3Endpoint,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    })
  : createFileBlobStore(join(dir, 'blobs'));
const deps = createDeps(config, database, { blobs });
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
process.stdout.write(`${JSON.stringify({ url, cookie: `zegel_session=${token}`, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => database.close())
    .then(() => process.exit(0));
});
