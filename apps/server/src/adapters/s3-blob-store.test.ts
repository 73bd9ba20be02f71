import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../test/s3-server.ts';
import { BlobSizeError } from './blob-store.ts';

const MiB = 1024 * 1024;
const PART = 5 * MiB; // S3's smallest part
let s3: Awaited<ReturnType<typeof startS3Server>>;
let store: ReturnType<Awaited<ReturnType<typeof startS3Server>>['createStore']>;

/** The commands the store sent, by name (s3rver cannot list multipart uploads, so we watch). */
const sent: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
  store = s3.createStore(PART);
  store.client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(context.commandName ?? '');
      return next(args);
    },
    { step: 'initialize' },
  );
});
afterAll(async () => {
  store.client.destroy();
  await s3.close();
});

/** `size` bytes of a pattern, in chunks of awkward sizes (as sockets deliver them). */
function source(size: number, chunk = 64 * 1024 + 3): { stream: Readable; hash: string } {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 11)) & 0xff;
  const chunks: Buffer[] = [];
  for (let at = 0; at < size; at += chunk) chunks.push(data.subarray(at, Math.min(size, at + chunk)));
  return { stream: Readable.from(chunks), hash: createHash('sha256').update(data).digest('hex') };
}

async function storedHash(key: string) {
  const stream = await store.getStream(key);
  const hash = createHash('sha256');
  for await (const chunk of stream ?? []) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('S3 multipart upload from a stream (reused part buffers)', () => {
  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['exactly one part', PART],
    ['one part and one byte', PART + 1],
    ['several parts and a short last one', 3 * PART + 12_345],
  ])('stores %s byte-identically', async (_name, size) => {
    const key = `test/${crypto.randomUUID()}`;
    const { stream, hash } = source(size);
    sent.length = 0;
    expect(await store.putStream(key, stream, { size })).toBe(size);
    const parts = Math.ceil(size / PART);
    expect(sent).toEqual(
      parts <= 1
        ? ['PutObjectCommand']
        : [
            'CreateMultipartUploadCommand',
            ...Array(parts).fill('UploadPartCommand'),
            'CompleteMultipartUploadCommand',
          ],
    );
    expect(await store.size(key)).toBe(size);
    expect(await storedHash(key)).toBe(hash);
  });

  it('leaves no object and no parts when the stream is longer than declared', async () => {
    const key = `test/${crypto.randomUUID()}`;
    await expect(store.putStream(key, source(2 * PART + 10).stream, { size: 2 * PART })).rejects.toThrow(
      BlobSizeError,
    );
    expect(await store.size(key)).toBeUndefined();
    expect(sent.at(-2)).toBe('AbortMultipartUploadCommand');
  });

  it('leaves no object and no parts when the source breaks half way', async () => {
    const key = `test/${crypto.randomUUID()}`;
    async function* broken() {
      yield Buffer.alloc(PART + 100, 7);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the first part goes up meanwhile
      throw new Error('connection reset');
    }
    sent.length = 0;
    await expect(store.putStream(key, Readable.from(broken()))).rejects.toThrow('connection reset');
    expect(sent).toEqual([
      'CreateMultipartUploadCommand',
      'UploadPartCommand',
      'AbortMultipartUploadCommand',
    ]);
    expect(await store.size(key)).toBeUndefined();
  });
});
