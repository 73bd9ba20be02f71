import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where attachment ciphertexts live. Keys are opaque, made by the server (`a/b/uuid`), never
 * from user input. Byte arrays today; the `files` feature (large transfers) adds streaming
 * methods and an S3-compatible implementation behind the same interface.
 */
export interface BlobStore {
  put(key: string, data: Uint8Array): Promise<void>;
  /** The stored bytes, or undefined when there is no such blob. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Deleting a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Streams `source` into the blob `key` without holding it in memory, and resolves with the
   * number of bytes stored. With `size`, any other length is refused; with `maxSize`, the source is
   * cut off as soon as it goes beyond. On any failure (the source breaks, a limit) nothing is
   * stored under `key`, and the promise rejects. One writer per key at a time.
   */
  putStream(key: string, source: Readable, limits?: BlobStreamLimits): Promise<number>;
  /** The blob's bytes as a stream (optionally only `range`), or undefined when there is no such blob. */
  getStream(key: string, range?: BlobRange): Promise<Readable | undefined>;
  /** The blob's size in bytes, or undefined when there is no such blob. */
  size(key: string): Promise<number | undefined>;
}

export interface BlobStreamLimits {
  size?: number;
  maxSize?: number;
}

/** `length` bytes from `offset`; a range beyond the end gives what there is. */
export interface BlobRange {
  offset: number;
  length: number;
}

/** A stream's length broke a `putStream` limit. */
export class BlobSizeError extends Error {
  override name = 'BlobSizeError';
}

/**
 * Counts bytes on their way through and enforces `putStream` limits; `counted()` is the total
 * once the source has ended.
 */
export function createByteCounter(limits: BlobStreamLimits = {}) {
  let total = 0;
  const max = limits.size ?? limits.maxSize ?? Number.POSITIVE_INFINITY;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > max) done(new BlobSizeError(`stream longer than ${max} bytes`));
      else done(null, chunk);
    },
    flush(done) {
      if (limits.size !== undefined && total !== limits.size)
        done(new BlobSizeError(`stream of ${total} bytes, expected ${limits.size}`));
      else done();
    },
  });
  return { counter, counted: () => total };
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9/-]{0,200}$/;

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes('..') || key.includes('//')) throw new Error('invalid blob key');
}

/** Files under `root` (the data directory's `blobs/`), written to a temporary name and renamed, so a reader never sees half a file. */
export function createFileBlobStore(root: string): BlobStore {
  const base = resolve(root);
  const pathOf = (key: string) => {
    checkKey(key);
    return join(base, ...key.split('/'));
  };
  return {
    async put(key, data) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.${Date.now()}.part`;
      await writeFile(temporary, data, { mode: 0o600 });
      await rename(temporary, path);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}.part`, { force: true });
    },
    async putStream(key, source, limits) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // A fixed temporary name per key, so that `delete(key)` also removes what a writer that
      // died mid-stream left behind (one writer per key at a time: the files feature's keys
      // carry the writer's lock token).
      const temporary = `${path}.part`;
      const { counter, counted } = createByteCounter(limits);
      try {
        await pipeline(source, counter, createWriteStream(temporary, { mode: 0o600 }));
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return counted();
    },
    async getStream(key, range) {
      const path = pathOf(key);
      try {
        const { size } = await stat(path);
        if (range && (range.length <= 0 || range.offset >= size)) return Readable.from([]);
        return createReadStream(
          path,
          range ? { start: range.offset, end: Math.min(size, range.offset + range.length) - 1 } : {},
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async size(key) {
      try {
        return (await stat(pathOf(key))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

/** Tests: blobs in a map, inspectable. */
export function createMemoryBlobStore(): BlobStore & { blobs: Map<string, Uint8Array> } {
  const blobs = new Map<string, Uint8Array>();
  return {
    blobs,
    async put(key, data) {
      checkKey(key);
      blobs.set(key, new Uint8Array(data));
    },
    async get(key) {
      const data = blobs.get(key);
      return data ? new Uint8Array(data) : undefined;
    },
    async delete(key) {
      blobs.delete(key);
    },
    // Tests only: collects the stream (the memory store is never used for large files).
    async putStream(key, source, limits) {
      checkKey(key);
      const { counter } = createByteCounter(limits);
      const chunks: Buffer[] = [];
      await pipeline(source, counter, async (counted: AsyncIterable<Buffer>) => {
        for await (const chunk of counted) chunks.push(chunk);
      });
      const data = new Uint8Array(Buffer.concat(chunks));
      blobs.set(key, data);
      return data.length;
    },
    async getStream(key, range) {
      const data = blobs.get(key);
      if (!data) return undefined;
      const part = range ? data.subarray(range.offset, range.offset + Math.max(0, range.length)) : data;
      return Readable.from([Buffer.from(part)]);
    },
    async size(key) {
      return blobs.get(key)?.length;
    },
  };
}
