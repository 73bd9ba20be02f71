import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileBlobStore, createMemoryBlobStore } from './blob-store.ts';

const root = mkdtempSync(join(tmpdir(), 'zegel-blobs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  ['files', () => createFileBlobStore(root)],
  ['memory', () => createMemoryBlobStore()],
])('the %s blob store', (_name, make) => {
  it('stores, returns and deletes bytes', async () => {
    const store = make();
    const data = new Uint8Array([1, 2, 3, 250]);
    await store.put('attachments/ab/abcdef', data);
    expect(await store.get('attachments/ab/abcdef')).toEqual(data);
    await store.delete('attachments/ab/abcdef');
    expect(await store.get('attachments/ab/abcdef')).toBeUndefined();
    await store.delete('attachments/ab/abcdef');
  });

  it('refuses keys that could leave its directory', async () => {
    const store = make();
    for (const key of ['../etc/passwd', '/abs', 'a//b', 'A/upper', 'a/../../b', ''])
      await expect(store.put(key, new Uint8Array(1))).rejects.toThrow('invalid blob key');
  });
});

it('leaves no temporary files behind', async () => {
  const store = createFileBlobStore(root);
  await store.put('x/y', new Uint8Array(10));
  expect(readdirSync(join(root, 'x'))).toEqual(['y']);
});
