import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3BlobStore } from '../src/adapters/s3-blob-store.ts';

const require = createRequire(import.meta.url);

/** A real S3-compatible server (s3rver) on loopback, with one bucket, in this process. */
export async function startS3Server(bucket = 'zegel-test') {
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
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    /** A store on this server (S3RVER/S3RVER are s3rver's fixed credentials). */
    createStore(partSizeBytes = 5 * 1024 * 1024) {
      return createS3BlobStore({
        bucket,
        region: 'eu-west-1',
        endpoint,
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        partSizeBytes,
      });
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
