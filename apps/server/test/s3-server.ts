import { createS3BlobStore } from '../src/adapters/s3-blob-store.ts';
import { startS3rver } from './s3rver.ts';

/** A real S3-compatible server on loopback (s3rver.ts), and blob stores on it. */
export async function startS3Server(bucket = 'zegel-test') {
  const s3 = await startS3rver(bucket);
  return {
    ...s3,
    createStore(partSizeBytes = 5 * 1024 * 1024) {
      return createS3BlobStore({
        bucket,
        region: 'eu-west-1',
        endpoint: s3.endpoint,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        partSizeBytes,
      });
    },
  };
}
