import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

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
      await rm(pathOf(key), { force: true });
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
  };
}
