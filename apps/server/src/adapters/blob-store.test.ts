import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../test/s3-server.ts';
import { BlobSizeError, type BlobStore, createFileBlobStore, createMemoryBlobStore } from './blob-store.ts';

async function collect(stream: Readable | undefined): Promise<Uint8Array | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function pattern(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** A stream of `length` bytes in chunks, then (optionally) a failure. */
function chunked(bytes: Uint8Array, chunk = 64 * 1024, failAfter?: number): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && at >= failAfter) {
        this.destroy(new Error('connection reset'));
        return;
      }
      if (at >= bytes.length) {
        this.push(null);
        return;
      }
      this.push(Buffer.from(bytes.subarray(at, at + chunk)));
      at += chunk;
    },
  });
}

/** The one contract every BlobStore passes: file, S3 and memory. */
function describeBlobStore(name: string, setup: () => Promise<{ store: BlobStore; close(): Promise<void> }>) {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await setup());
    });
    afterAll(async () => close());

    it('puts, gets and deletes byte arrays; missing blobs are undefined', async () => {
      await store.put('t/bytes', pattern(1000));
      expect(await store.get('t/bytes')).toEqual(pattern(1000));
      expect(await store.size('t/bytes')).toBe(1000);
      await store.delete('t/bytes');
      expect(await store.get('t/bytes')).toBeUndefined();
      expect(await store.size('t/bytes')).toBeUndefined();
      expect(await store.getStream('t/bytes')).toBeUndefined();
      await store.delete('t/bytes');
    });

    it.each([0, 1, 12 * 1024 * 1024 + 3])(
      'streams %i bytes in and out (multipart when large)',
      async (length) => {
        const bytes = pattern(length);
        expect(await store.putStream(`t/stream-${length}`, chunked(bytes), { size: length })).toBe(length);
        expect(await store.size(`t/stream-${length}`)).toBe(length);
        const back = await collect(await store.getStream(`t/stream-${length}`));
        expect(back && Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
        await store.delete(`t/stream-${length}`);
      },
    );

    it('reads ranges, and gives what there is past the end', async () => {
      const bytes = pattern(300_000);
      await store.putStream('t/range', chunked(bytes));
      expect(await collect(await store.getStream('t/range', { offset: 1000, length: 5000 }))).toEqual(
        bytes.subarray(1000, 6000),
      );
      expect(await collect(await store.getStream('t/range', { offset: 299_990, length: 100 }))).toEqual(
        bytes.subarray(299_990),
      );
      expect(await collect(await store.getStream('t/range', { offset: 300_000, length: 10 }))).toEqual(
        new Uint8Array(0),
      );
      await store.delete('t/range');
    });

    it('stores nothing when the source breaks, is shorter or longer than announced', async () => {
      const bytes = pattern(6 * 1024 * 1024);
      await expect(store.putStream('t/broken', chunked(bytes, 64 * 1024, 3 * 1024 * 1024))).rejects.toThrow(
        'connection reset',
      );
      expect(await store.size('t/broken')).toBeUndefined();
      await expect(store.putStream('t/short', chunked(bytes), { size: bytes.length + 1 })).rejects.toThrow(
        BlobSizeError,
      );
      expect(await store.size('t/short')).toBeUndefined();
      await expect(store.putStream('t/long', chunked(bytes), { maxSize: 1024 })).rejects.toThrow(
        BlobSizeError,
      );
      expect(await store.size('t/long')).toBeUndefined();
    });

    it('replaces a blob written again under the same key', async () => {
      await store.putStream('t/again', chunked(pattern(10, 1)));
      await store.putStream('t/again', chunked(pattern(20, 2)));
      expect(await store.get('t/again')).toEqual(pattern(20, 2));
      await store.delete('t/again');
    });

    it('refuses keys that could escape the store', async () => {
      await expect(store.put('../etc/passwd', pattern(1))).rejects.toThrow('invalid blob key');
      await expect(store.putStream('a//b', chunked(pattern(1)))).rejects.toThrow('invalid blob key');
    });
  });
}

describeBlobStore('file', async () => {
  const root = await mkdtemp(join(tmpdir(), 'zegel-blobs-'));
  return { store: createFileBlobStore(root), close: () => rm(root, { recursive: true, force: true }) };
});

describeBlobStore('s3 (s3rver on loopback)', async () => {
  const server = await startS3Server();
  const store = server.createStore();
  return {
    store,
    async close() {
      store.client.destroy();
      await server.close();
    },
  };
});

describeBlobStore('memory', async () => ({ store: createMemoryBlobStore(), close: async () => undefined }));
