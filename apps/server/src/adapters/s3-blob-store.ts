import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
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

/** S3's limit on the parts of one multipart upload. */
const MAX_PARTS = 10_000;

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
 * Blobs in an S3-compatible bucket (AWS SDK v3). Streams go up as multipart uploads (parts of
 * `partSizeBytes`, at most `queueSize` in flight, so memory per upload is bounded by their
 * product) and come down as the response body, with `Range` for partial reads. An object appears
 * only when its upload completes; a failed upload is aborted.
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
  // S3's smallest part: each object is one tus PATCH (16 MiB from the web app), far below the
  // 10,000-part limit, and smaller parts keep less memory in flight.
  const partSize = options.partSizeBytes ?? 5 * 1024 * 1024;
  const queueSize = options.queueSize ?? 2;
  const buffers = createPartBufferPool(partSize, queueSize * 2);

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
      const feeding = pipeline(source, counter);
      feeding.catch(() => undefined); // awaited below; a failure also ends the upload's reading
      try {
        // S3 allows 10,000 parts: a stream that may be larger than that many parts gets bigger
        // parts of its own (a single PATCH of a very large file from a client other than ours).
        const limit = limits?.size ?? limits?.maxSize ?? 0;
        const own = limit > partSize * MAX_PARTS ? Math.ceil(limit / MAX_PARTS) : undefined;
        const target = own ? { partSize: own, buffers: createPartBufferPool(own, 0) } : { partSize, buffers };
        await uploadInParts({ client, Bucket, Key: key, queueSize, ...target }, counter);
        await feeding;
      } catch (error) {
        // A size problem or a broken source fails the counter, and so the upload; stop both.
        counter.destroy();
        await feeding.catch(() => undefined);
        throw error;
      }
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

/**
 * Part buffers shared by a store's uploads: taken while an upload runs and given back after, with
 * at most `keep` waiting unused. Each PATCH of a tus upload is its own stream (of 16 MiB from the
 * web app); buffers allocated per stream and dropped after are gigabytes of short-lived memory,
 * which the garbage collector lets pile up well past the process's usual size.
 */
function createPartBufferPool(partSize: number, keep: number) {
  const free: Buffer[] = [];
  return {
    take: () => free.pop() ?? Buffer.allocUnsafe(partSize),
    give(used: Buffer[]) {
      for (const buffer of used) if (free.length < keep) free.push(buffer);
    },
  };
}

/**
 * A multipart upload from a stream: the bytes are copied into a part buffer, a full buffer goes up
 * while the next fills, at most `queueSize` parts are in flight, and the stream is read no faster
 * than parts are sent. A stream that fits in one part is a plain PUT. On any failure the multipart
 * upload is aborted, so no object and no parts remain.
 */
async function uploadInParts(
  target: {
    client: S3Client;
    Bucket: string;
    Key: string;
    partSize: number;
    queueSize: number;
    buffers: ReturnType<typeof createPartBufferPool>;
  },
  stream: AsyncIterable<Buffer>,
): Promise<void> {
  const { client, Bucket, Key, partSize } = target;
  const buffers = [target.buffers.take()];
  const inFlight = new Map<Buffer, Promise<unknown>>();
  const parts: { PartNumber: number; ETag: string }[] = [];
  let uploadId: string | undefined;
  let current = buffers[0] as Buffer;
  let filled = 0;

  const sendPart = async (buffer: Buffer, length: number) => {
    if (!uploadId) {
      const created = await client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
      uploadId = created.UploadId;
    }
    const PartNumber = parts.length + 1;
    parts.push({ PartNumber, ETag: '' });
    const sent = client
      .send(
        new UploadPartCommand({
          Bucket,
          Key,
          UploadId: uploadId,
          PartNumber,
          Body: buffer.subarray(0, length),
          ContentLength: length,
        }),
      )
      .then((response) => {
        (parts[PartNumber - 1] as { ETag: string }).ETag = response.ETag ?? '';
      });
    // Handled here so a failure while the stream is still being read is not "unhandled"; it is
    // thrown where the part is awaited.
    sent.catch(() => undefined);
    inFlight.set(buffer, sent);
    // The next buffer to fill: a free one, another from the pool while fewer than `queueSize`
    // are in use, or the oldest in flight (a Map keeps insertion order) once its part is sent.
    let next = buffers.find((b) => !inFlight.has(b));
    if (!next && buffers.length < target.queueSize) {
      next = target.buffers.take();
      buffers.push(next);
    }
    next ??= inFlight.keys().next().value as Buffer;
    await inFlight.get(next);
    inFlight.delete(next);
    current = next;
    filled = 0;
  };

  try {
    for await (const chunk of stream) {
      let offset = 0;
      while (offset < chunk.length) {
        // A full buffer goes up once more bytes follow (a stream of exactly one part is a PUT).
        if (filled === partSize) await sendPart(current, filled);
        const copied = chunk.copy(current, filled, offset);
        filled += copied;
        offset += copied;
      }
    }
    if (!uploadId) {
      await client.send(
        new PutObjectCommand({ Bucket, Key, Body: current.subarray(0, filled), ContentLength: filled }),
      );
      return;
    }
    if (filled > 0) await sendPart(current, filled);
    await Promise.all(inFlight.values());
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  } catch (error) {
    await Promise.allSettled(inFlight.values());
    if (uploadId)
      await client
        .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
        .catch(() => undefined);
    throw error;
  } finally {
    // Every part has settled here (awaited above on both paths), so the buffers are free.
    target.buffers.give(buffers);
  }
}
