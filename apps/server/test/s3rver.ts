import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * A real S3-compatible server (s3rver) on loopback with one bucket, in this process; objects are
 * files under `directory`. Its credentials are fixed: S3RVER / S3RVER. Used by the server tests
 * (s3-server.ts) and the browser tests alike.
 */
export async function startS3rver(bucket = 'zegel-test') {
  const S3rver = require('s3rver') as new (
    options: Record<string, unknown>,
  ) => {
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  const directory = await mkdtemp(join(tmpdir(), 'zegel-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    directory,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
