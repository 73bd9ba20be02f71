import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { decryptContent, encryptContent, generateContentKey } from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { createOrganisationWithAdmin, type TestUser } from '../../../test/factories.ts';
import { createTestApp, TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { cookieOf, tusClient } from '../../../test/tus-client.ts';

const ZEGEL_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/zegel.js');
const MiB = 1024 * 1024;

/** A real `zegel serve` process on the shared PostgreSQL database and data directory. */
function startProcess(databaseUrl: string, dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [ZEGEL_BIN, 'serve', '--port', '0'], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      ZEGEL_DATA_DIR: dataDir,
      ZEGEL_SECRET: TEST_SECRET,
      ZEGEL_EMBEDDED: 'true',
      ZEGEL_SEED_DEMO: 'false',
      ZEGEL_UPLOAD_LOCK_SECONDS: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /Zegel is running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) done({ url: match[1].replace('//localhost:', '//127.0.0.1:'), child });
    });
    child.stderr!.on('data', (c) => (output += c));
    child.on('exit', (code) => fail(new Error(`zegel serve exited with ${code}: ${output}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise((done) =>
    child.exitCode !== null || child.signalCode !== null ? done(null) : child.on('exit', done),
  );

describe.runIf(inject('postgres'))('an upload survives the server being killed mid-PATCH', () => {
  let database: TestDatabase;
  let dataDir: string;
  let t: TestApp;
  let admin: TestUser;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'zegel-restart-'));
    t = await createTestApp({ database, logLevel: 'warn' });
    ({ admin } = await createOrganisationWithAdmin(t));
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await t.close();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes from the last complete PATCH on a fresh process and completes byte-identically', async () => {
    const id = crypto.randomUUID();
    const key = generateContentKey();
    const plain = new Uint8Array(6 * MiB).map((_, i) => (i * 13) & 0xff);
    const cipher = await encryptContent(key, plain, { associatedData: id });

    const first = await startProcess(database.url!, dataDir);
    children.push(first.child);
    const tus1 = tusClient(first.url, cookieOf(admin.browser.cookies));
    expect((await tus1.create(id, cipher.length)).status).toBe(201);
    expect((await tus1.patch(id, 0, cipher.subarray(0, 2 * MiB))).status).toBe(204);

    // The second PATCH streams slowly; the process is killed (SIGKILL) while it is being written.
    let at = 2 * MiB;
    const slow = new Readable({
      read() {
        if (at >= 3 * MiB) return; // stalls here: the rest never comes
        this.push(Buffer.from(cipher.subarray(at, at + 256 * 1024)));
        at += 256 * 1024;
        if (at >= 3 * MiB) setTimeout(() => first.child.kill('SIGKILL'), 300);
      },
    });
    await expect(tus1.patch(id, 2 * MiB, slow, cipher.length - 2 * MiB)).rejects.toThrow();
    await exited(first.child);

    const second = await startProcess(database.url!, dataDir);
    children.push(second.child);
    const tus2 = tusClient(second.url, cookieOf(admin.browser.cookies));
    const head = await tus2.head(id);
    expect(head.headers['upload-offset']).toBe(String(2 * MiB));
    // The dead process's lock expires (ZEGEL_UPLOAD_LOCK_SECONDS=1); then the client resumes.
    let resumed = await tus2.patch(id, 2 * MiB, cipher.subarray(2 * MiB));
    for (let i = 0; resumed.status === 423 && i < 20; i++) {
      await new Promise((done) => setTimeout(done, 250));
      resumed = await tus2.patch(id, 2 * MiB, cipher.subarray(2 * MiB));
    }
    expect(resumed.status).toBe(204);
    expect(resumed.headers['upload-offset']).toBe(String(cipher.length));
    const download = await tus2.download(id);
    const back = await decryptContent(key, new Uint8Array(download.body), { associatedData: id });
    expect(Buffer.from(back).equals(Buffer.from(plain))).toBe(true);
    // The half-written blob of the killed PATCH was removed when the lock was taken over.
    const row = await database.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.pending_key).toBeNull();
    const leftovers = (await readdir(join(dataDir, 'blobs', 'files', id.slice(0, 2), id))).sort();
    const segments = await database.db
      .selectFrom('file_segments')
      .select('blob_key')
      .where('file_id', '=', id)
      .execute();
    expect(leftovers).toEqual(segments.map((s) => s.blob_key.split('/').at(-1)).sort());
  }, 60_000);
});
