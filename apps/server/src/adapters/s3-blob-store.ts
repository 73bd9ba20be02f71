import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { type BlobStore, createByteCounter } from './blob-store.ts';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible endpoint (MinIO, Ceph, s3rver in tests); path-style addressing is used then. */
  endpoint?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** Multipart part size; the SDK holds at most `queueSize` parts in memory per upload. */
  partSizeBytes?: number;
  queueSize?: number;
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9/-]{0,200}$/;

function checkKey(key: string): string {
  if (!KEY_PATTERN.test(key) || key.includes('..') || key.includes('//')) throw new Error('invalid blob key');
  return key;
}

function isNotFound(error: unknown): boolean {
  if (error instanceof S3ServiceException)
    return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404;
  return false;
}

/**
 * Blobs in an S3-compatible bucket (AWS SDK v3). Streams go up as multipart uploads
 * (`@aws-sdk/lib-storage`: parts of `partSizeBytes`, `queueSize` in flight, so memory per
 * upload is bounded by their product) and come down as the response body, with `Range` for
 * partial reads. An object appears only when its upload completes; a failed upload is aborted.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore & { client: S3Client } {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
    // Checksums on every request would need the whole part hashed first; S3-compatible servers
    // differ in support. Content integrity comes from the AEAD format anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = options.bucket;
  const partSize = options.partSizeBytes ?? 8 * 1024 * 1024;
  const queueSize = options.queueSize ?? 2;

  return {
    client,
    async put(key, data) {
      await client.send(new PutObjectCommand({ Bucket, Key: checkKey(key), Body: data }));
    },
    async get(key) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket, Key: checkKey(key) }));
        return response.Body ? await response.Body.transformToByteArray() : new Uint8Array(0);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: checkKey(key) }));
    },
    async putStream(key, source, limits) {
      checkKey(key);
      const { counter, counted } = createByteCounter(limits);
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: counter },
        partSize,
        queueSize,
        leavePartsOnError: false,
      });
      // The counter fails the stream on a size problem; abort the upload then, so no object appears.
      const feeding = pipeline(source, counter).catch(async (error: unknown) => {
        await upload.abort().catch(() => undefined);
        throw error;
      });
      // And if the upload fails, stop the source, or it would wait for a reader for ever.
      const uploading = upload.done().catch((error: unknown) => {
        counter.destroy(error instanceof Error ? error : new Error('upload failed'));
        throw error;
      });
      const [fed, uploaded] = await Promise.allSettled([feeding, uploading]);
      if (fed.status === 'rejected') {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key })).catch(() => undefined);
        throw fed.reason;
      }
      if (uploaded.status === 'rejected') throw uploaded.reason;
      return counted();
    },
    async getStream(key, range) {
      checkKey(key);
      if (range && range.length <= 0) return Readable.from([]);
      try {
        const response = await client.send(
          new GetObjectCommand({
            Bucket,
            Key: key,
            ...(range ? { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {}),
          }),
        );
        return response.Body instanceof Readable ? response.Body : Readable.from([]);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        // A range starting at or beyond the end of the object.
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416)
          return Readable.from([]);
        throw error;
      }
    },
    async size(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: checkKey(key) }));
        return head.ContentLength ?? 0;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}
