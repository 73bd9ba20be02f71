import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  ContentTamperedError,
  decryptContent,
  encryptContent,
  generateContentKey,
  getEncryptedContentSize,
} from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, type TestUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { startS3Server } from '../../../test/s3-server.ts';
import { cookieOf, send, tusClient } from '../../../test/tus-client.ts';
import { type BlobStore, createFileBlobStore } from '../../adapters/blob-store.ts';
import { purgeAbandonedUploads } from './jobs.ts';
import { selectUsage } from './store.ts';

const MiB = 1024 * 1024;

function plaintext(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + (i >> 11)) & 0xff;
  return bytes;
}

async function encrypted(id: string, length: number) {
  const key = generateContentKey();
  const plain = plaintext(length);
  const cipher = await encryptContent(key, plain, { associatedData: id });
  return { key, plain, cipher };
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

interface StoreSetup {
  store: BlobStore;
  close(): Promise<void>;
}

const stores: [string, () => Promise<StoreSetup>][] = [
  [
    'file store',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'zegel-files-'));
      return { store: createFileBlobStore(root), close: () => rm(root, { recursive: true, force: true }) };
    },
  ],
  [
    'S3 store (s3rver)',
    async () => {
      const server = await startS3Server();
      const store = server.createStore();
      return {
        store,
        async close() {
          store.client.destroy();
          await server.close();
        },
      };
    },
  ],
];

describe.each(stores)('large files over tus: %s', (_name, setupStore) => {
  let storeSetup: StoreSetup;
  let t: TestApp;
  let second: TestApp;
  let base: string;
  let secondBase: string;
  let admin: TestUser;
  let member: TestUser;
  let tus: ReturnType<typeof tusClient>;

  beforeAll(async () => {
    storeSetup = await setupStore();
    const config = {
      maxFileBytes: 64 * MiB,
      maxMessageFileBytes: 80 * MiB,
      organisationFileQuotaBytes: 200 * MiB,
      uploadLockSeconds: 5,
    };
    t = await createTestApp({ blobs: storeSetup.store, config, logLevel: 'warn' });
    // A second server instance on the same database and blob store: another process behind the
    // load balancer (on `npm run test:pg`, a real shared PostgreSQL).
    second = await createTestApp({ blobs: storeSetup.store, config, database: t.database, logLevel: 'warn' });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    secondBase = await second.app.listen({ host: '127.0.0.1', port: 0 });
    ({ admin } = await createOrganisationWithAdmin(t));
    member = await createMember(t, admin);
    tus = tusClient(base, cookieOf(admin.browser.cookies));
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
    await storeSetup?.close();
  });

  it.each([
    ['0-byte', 0],
    ['1-byte', 1],
    ['multi-record (3 MiB + 5)', 3 * MiB + 5],
  ])('uploads and downloads a %s file byte-identically', async (_label, size) => {
    const id = crypto.randomUUID();
    const { key, plain, cipher } = await encrypted(id, size);
    expect(cipher.length).toBe(getEncryptedContentSize(size));
    const result = await tus.upload(id, cipher, 1 * MiB + 17);
    expect(result.status).toBe(204);
    expect(Number(result.headers['upload-offset'])).toBe(cipher.length);
    const head = await tus.head(id);
    expect([head.status, head.headers['upload-offset'], head.headers['upload-length']]).toEqual([
      200,
      String(cipher.length),
      String(cipher.length),
    ]);
    const download = await tus.download(id);
    expect(download.status).toBe(200);
    expect(download.headers['content-length']).toBe(String(cipher.length));
    expect(same(download.body, cipher)).toBe(true);
    expect(
      same(await decryptContent(key, new Uint8Array(download.body), { associatedData: id }), plain),
    ).toBe(true);
  });

  it('serves ranges, so a download can resume', async () => {
    const id = crypto.randomUUID();
    const { cipher } = await encrypted(id, 2 * MiB + 100);
    await tus.upload(id, cipher, 700_000);
    const tail = await tus.download(id, 'bytes=1000000-');
    expect(tail.status).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes 1000000-${cipher.length - 1}/${cipher.length}`);
    expect(same(tail.body, cipher.subarray(1_000_000))).toBe(true);
    const middle = await tus.download(id, 'bytes=699990-700010');
    expect(same(middle.body, cipher.subarray(699_990, 700_011))).toBe(true);
    expect((await tus.download(id, `bytes=${cipher.length}-`)).status).toBe(416);
  });

  it('alternates PATCHes between two server instances sharing the database', async () => {
    const id = crypto.randomUUID();
    const { key, plain, cipher } = await encrypted(id, 3 * MiB);
    const other = tusClient(secondBase, cookieOf(admin.browser.cookies));
    expect((await tus.create(id, cipher.length)).status).toBe(201);
    let offset = 0;
    for (let i = 0; offset < cipher.length; i++) {
      const client = i % 2 === 0 ? other : tus;
      const response = await client.patch(id, offset, cipher.subarray(offset, offset + 600_000));
      expect(response.status).toBe(204);
      offset = Number(response.headers['upload-offset']);
    }
    const download = await other.download(id);
    expect(
      same(await decryptContent(key, new Uint8Array(download.body), { associatedData: id }), plain),
    ).toBe(true);
  });

  it('never completes a truncated upload: a PATCH cut off mid-body stores nothing', async () => {
    const id = crypto.randomUUID();
    const { cipher } = await encrypted(id, 2 * MiB);
    await tus.create(id, cipher.length);
    expect((await tus.patch(id, 0, cipher.subarray(0, MiB))).status).toBe(204);
    // The connection drops after half of the announced body.
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent >= 400_000) {
          setTimeout(() => this.destroy(new Error('cable pulled')), 50);
          return;
        }
        this.push(Buffer.from(cipher.subarray(MiB + sent, MiB + sent + 100_000)));
        sent += 100_000;
      },
    });
    await expect(tus.patch(id, MiB, source, cipher.length - MiB)).rejects.toThrow();
    // The server notices the abort, releases the lock and keeps the last complete offset.
    await expect.poll(async () => (await tus.patch(id, MiB, new Uint8Array(0))).status).toBe(204);
    expect((await tus.head(id)).headers['upload-offset']).toBe(String(MiB));
    const download = await tus.download(id);
    expect([download.status, JSON.parse(download.body.toString()).error.code]).toEqual([
      409,
      'upload_incomplete',
    ]);
    // Resuming from the offset completes it.
    expect((await tus.patch(id, MiB, cipher.subarray(MiB))).status).toBe(204);
    expect(same((await tus.download(id)).body, cipher)).toBe(true);
  });

  it('fails loudly when a stored record was altered (ContentTamperedError)', async () => {
    const id = crypto.randomUUID();
    const { key, cipher } = await encrypted(id, 2 * MiB + 3);
    await tus.upload(id, cipher, 2 * MiB);
    const segments = await t.deps.db
      .selectFrom('file_segments')
      .selectAll()
      .where('file_id', '=', id)
      .orderBy('start_offset')
      .execute();
    const segment = segments[0]!;
    const stored = (await storeSetup.store.get(segment.blob_key))!;
    stored[MiB + 500] = (stored[MiB + 500] ?? 0) ^ 0x40; // inside the second record
    await storeSetup.store.put(segment.blob_key, stored);
    const download = await tus.download(id);
    expect(download.status).toBe(200);
    await expect(decryptContent(key, new Uint8Array(download.body), { associatedData: id })).rejects.toThrow(
      ContentTamperedError,
    );
  });

  it('refuses before any byte is sent: over the size limit, over the message limit, over quota', async () => {
    const size = (mib: number) => getEncryptedContentSize(mib * MiB);
    const tooLarge = await tus.create(crypto.randomUUID(), size(65));
    expect([tooLarge.status, JSON.parse(tooLarge.body.toString()).error.code]).toEqual([
      413,
      'file_too_large',
    ]);

    const messageId = crypto.randomUUID();
    expect((await tus.create(crypto.randomUUID(), size(50), messageId)).status).toBe(201);
    const overMessage = await tus.create(crypto.randomUUID(), size(40), messageId);
    expect([overMessage.status, JSON.parse(overMessage.body.toString()).error.code]).toEqual([
      413,
      'message_files_too_large',
    ]);

    // Fill the organisation's quota (200 MiB) with uploads within the other limits.
    const filling: string[] = [];
    let refused: { status: number; body: Buffer } | undefined;
    for (let i = 0; i < 5 && !refused; i++) {
      const fill = crypto.randomUUID();
      const response = await tus.create(fill, size(60));
      if (response.status === 201) filling.push(fill);
      else refused = response;
    }
    expect([refused?.status, JSON.parse(String(refused?.body)).error.code]).toEqual([413, 'quota_exceeded']);
    expect(JSON.parse(String(refused?.body)).error.message).toMatch(/quota/);
    for (const fill of filling) expect((await tus.delete(fill)).status).toBe(204);

    const notCiphertext = await tus.create(crypto.randomUUID(), 50);
    expect(notCiphertext.status).toBe(400);
  });

  it('refuses forged and foreign upload ids, wrong offsets, content types and protocol versions', async () => {
    const id = crypto.randomUUID();
    const { cipher } = await encrypted(id, 1000);
    await tus.create(id, cipher.length);
    const stranger = tusClient(base, cookieOf(member.browser.cookies));
    expect((await stranger.head(id)).status).toBe(404);
    expect((await stranger.patch(id, 0, cipher)).status).toBe(404);
    expect((await stranger.download(id)).status).toBe(404);
    expect((await stranger.delete(id)).status).toBe(404);
    expect((await tus.head(crypto.randomUUID())).status).toBe(404);
    expect((await tus.patch(crypto.randomUUID(), 0, cipher)).status).toBe(404);
    expect((await tus.patch('../../etc/passwd', 0, cipher)).status).toBeGreaterThanOrEqual(400);

    const mismatch = await tus.patch(id, 10, cipher.subarray(10));
    expect([mismatch.status, JSON.parse(mismatch.body.toString()).error.code]).toEqual([
      409,
      'upload_offset_mismatch',
    ]);
    const wrongType = await tus.patch(id, 0, cipher, undefined, 'application/octet-stream');
    expect([wrongType.status, JSON.parse(wrongType.body.toString()).error.code]).toEqual([
      415,
      'unsupported_media_type',
    ]);
    const noTus = await send(`${base}/api/files/uploads/${id}`, 'HEAD', {
      cookie: cookieOf(admin.browser.cookies),
    });
    expect(noTus.status).toBe(412);
    const anonymous = await send(`${base}/api/files/uploads/${id}`, 'HEAD', { 'tus-resumable': '1.0.0' });
    expect(anonymous.status).toBe(401);
    const plain = new Uint8Array(cipher.length).fill(0x41);
    expect((await tus.patch(id, 0, plain)).status).toBe(400);
    const tooLong = await tus.patch(id, 0, new Uint8Array([...cipher, 1, 2, 3]));
    expect(tooLong.status).toBe(413);
    expect((await tus.head(id)).headers['upload-offset']).toBe('0');
    expect((await tus.patch(id, 0, cipher)).status).toBe(204);
    const again = await tus.patch(id, cipher.length, new Uint8Array(1));
    expect(again.status).toBe(409);
  });

  it('waits for a lock held by a dead process, then resumes; removes what the dead writer left', async () => {
    const id = crypto.randomUUID();
    const { cipher } = await encrypted(id, 5000);
    await tus.create(id, cipher.length);
    const orphan = `files/${id.slice(0, 2)}/${id}/0-${crypto.randomUUID()}`;
    await storeSetup.store.put(orphan, new Uint8Array(10));
    await t.deps.db
      .updateTable('files')
      .set({
        lock_token: crypto.randomUUID(),
        locked_until: new Date(t.clock.now().getTime() + 5000),
        pending_key: orphan,
      })
      .where('id', '=', id)
      .execute();
    const locked = await tus.patch(id, 0, cipher);
    expect([locked.status, JSON.parse(locked.body.toString()).error.code]).toEqual([423, 'upload_locked']);
    t.clock.advance(6000);
    expect((await tus.patch(id, 0, cipher)).status).toBe(204);
    expect(await storeSetup.store.size(orphan)).toBeUndefined();
  });

  it('lets the owner abandon an upload (tus termination)', async () => {
    const id = crypto.randomUUID();
    const { cipher } = await encrypted(id, 10);
    await tus.create(id, cipher.length);
    expect((await tus.delete(id)).status).toBe(204);
    expect((await tus.head(id)).status).toBe(404);
  });
  it('deletes abandoned uploads after the configured time and gives their quota back', async () => {
    const orgId = (
      await t.deps.db
        .selectFrom('users')
        .select('organisation_id')
        .where('id', '=', admin.id)
        .executeTakeFirstOrThrow()
    ).organisation_id;
    const id = crypto.randomUUID();
    const { cipher } = await encrypted(id, 3 * MiB);
    await tus.create(id, cipher.length);
    await tus.patch(id, 0, cipher.subarray(0, MiB));
    const before = await selectUsage(t.deps.db, orgId);
    const segments = await t.deps.db
      .selectFrom('file_segments')
      .select('blob_key')
      .where('file_id', '=', id)
      .execute();
    t.clock.advance(23 * 3600_000);
    expect(await purgeAbandonedUploads(t.deps)).toBe(0);
    t.clock.advance(2 * 3600_000);
    expect(await purgeAbandonedUploads(t.deps)).toBeGreaterThanOrEqual(1);
    expect(
      await t.deps.db.selectFrom('files').select('id').where('id', '=', id).executeTakeFirst(),
    ).toBeUndefined();
    expect(await selectUsage(t.deps.db, orgId)).toBeLessThanOrEqual(before - cipher.length);
    for (const { blob_key } of segments) expect(await storeSetup.store.size(blob_key)).toBeUndefined();
  });
});
