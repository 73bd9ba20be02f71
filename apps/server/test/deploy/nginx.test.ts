import { createCipheriv, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type RequestOptions, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { deriveAccessCodeSecrets, fromBase64Url, toBase64Url } from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrganisationWithAdmin, signInWithPassword, type TestUser } from '../factories.ts';
import { Browser, createTestApp, type TestApp, totpCode } from '../harness.ts';
import { remoteApp } from '../http-injector.ts';
import { enrolKeys, readAsGuest, sendSecureMessage } from '../messages.ts';
import { freePort, startZegelProcess, type ZegelProcess } from '../zegel-process.ts';
import { type RunningNginx, selfSignedCertificate, startNginx, testNginxConfig } from './nginx.ts';

/**
 * The production set-up of docs/deployment.md on one machine: deploy/nginx/zegel.conf with TLS
 * in front of two `zegel serve` processes on PostgreSQL, and a client that only talks HTTPS to
 * nginx. `npm run test:deploy` (in .ci/run); ZEGEL_DEPLOY_UPLOAD_BYTES sets the large upload.
 */
const MiB = 1024 * 1024;
const UPLOAD_BYTES = Number(process.env.ZEGEL_DEPLOY_UPLOAD_BYTES ?? 1024 * MiB);
/** The web app's tus chunk (apps/web/src/features/files/upload.ts). */
const CHUNK = 16 * MiB;
/** The client's own loopback address, so the audit trail can tell it from nginx's. */
const CLIENT_IP = '127.0.0.23';

/** Deterministic bytes of an encrypted file (format byte 0x01, then an AES-CTR stream), from any 16-aligned offset. */
function fileBytes(offset: number, length: number): Readable {
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(offset / 16), 8);
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 9), iv);
  const zeros = Buffer.alloc(MiB);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= length) return void this.push(null);
      const chunk = cipher.update(zeros.subarray(0, Math.min(MiB, length - sent)));
      if (offset + sent === 0) chunk[0] = 0x01;
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe.runIf(inject('postgres'))('behind nginx with TLS: two processes on PostgreSQL', () => {
  let t: TestApp;
  let dir: string;
  let nginx: RunningNginx;
  let base: string;
  let ca: string;
  let admin: TestUser;
  const processes: ZegelProcess[] = [];

  /** One HTTPS request to nginx; `body` streams; `dropAfter` cuts the connection after that many bytes. */
  function https(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Readable,
    dropAfter?: number,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: Readable }> {
    return new Promise((done, fail) => {
      const options: RequestOptions = { method, headers, ca, localAddress: CLIENT_IP, agent: false };
      const req = request(new URL(path, base), options, (res) =>
        done({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
      );
      req.on('error', fail);
      if (!body) return void req.end();
      let written = 0;
      body.on('data', (chunk: Buffer) => {
        written += chunk.length;
        if (dropAfter !== undefined && written > dropAfter) {
          body.destroy();
          req.destroy(new Error('dropped'));
        }
      });
      body.pipe(req);
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    dir = await mkdtemp(join(tmpdir(), 'zegel-deploy-'));
    const { cert, key } = selfSignedCertificate(dir);
    ca = await readFile(cert, 'utf8');
    const [httpsPort, httpPort, a, b] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    base = `https://127.0.0.1:${httpsPort}`;
    const env = {
      HOST: '127.0.0.1',
      ZEGEL_PUBLIC_URL: base,
      TRUST_PROXY: '127.0.0.1',
      ZEGEL_DATA_DIR: join(dir, 'data'),
      ZEGEL_UPLOAD_LOCK_SECONDS: '10',
    };
    processes.push(
      ...(await Promise.all([a, b].map((port) => startZegelProcess(t.database.url!, env, port)))),
    );
    nginx = await startNginx(
      join(dir, 'nginx'),
      await testNginxConfig({ httpsPort, httpPort, upstreams: [a, b], cert, key }),
    );
    ({ admin } = await createOrganisationWithAdmin(t));
  });
  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(processes.map((p) => p.stop()));
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const client = (headers?: Record<string, string>) =>
    new Browser(remoteApp(base, { ca, localAddress: CLIENT_IP, headers }));

  it('signs in over TLS, and the audit trail records the client address, not the proxy or a forged one', async () => {
    const browser = client({ 'x-forwarded-for': '203.0.113.9' });
    const first = await signInWithPassword(admin, browser);
    expect(first.json()).toEqual({ stage: 'second_factor' });
    const second = await browser.post('/api/auth/second-factor', {
      // The enrolment used the code of this time step; the harness clock is one step on.
      code: totpCode(admin.totpSecret, t.clock),
      trustDevice: false,
    });
    expect(second.statusCode, second.body).toBe(200);
    expect((await browser.get('/api/me')).json().email).toBe(admin.email);
    const events = await t.deps.db
      .selectFrom('audit_events')
      .select(['action', 'access_ip'])
      .where('actor_user_id', '=', admin.id)
      .where('action', 'in', ['auth.sign_in', 'auth.second_factor'])
      .orderBy('seq', 'desc')
      .limit(2)
      .execute();
    expect(events.map((e) => e.access_ip)).toEqual([CLIENT_IP, CLIENT_IP]);
    expect(await nginx.errorLog()).not.toMatch(/\[(emerg|crit)\]/);
  });

  it('sends a message and a guest with an access code reads it, all through nginx', async () => {
    const browser = client();
    for (const [k, v] of admin.browser.cookies) browser.cookies.set(k, v);
    const sender = await enrolKeys({ ...admin, browser });
    const accessCode = 'rode-tulp 17';
    const sent = await sendSecureMessage(t, sender, {
      subject: 'Uw dossier',
      bodyHtml: '<p>Zie bijlage</p>',
      guests: [{ address: 'burger@example.nl', method: 'access_code', accessCode }],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    const link = sent.guests[0]!;
    const guest = client();
    const landing = (await guest.get(`/api/guest/${link.recipientId}`)).json();
    const { proof } = await deriveAccessCodeSecrets(
      accessCode,
      fromBase64Url(landing.accessCode.salt),
      landing.accessCode.params,
    );
    const verified = await guest.post(`/api/guest/${link.recipientId}/verify`, { proof: toBase64Url(proof) });
    expect(verified.statusCode, verified.body).toBe(200);
    const read = await readAsGuest(guest, link, accessCode);
    expect(read.items[0]?.content.subject).toBe('Uw dossier');
  });

  it(`uploads ${UPLOAD_BYTES / MiB} MiB resumably across both processes, survives a dropped connection, downloads it whole`, async () => {
    const cookie = [...admin.browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const tus = { 'tus-resumable': '1.0.0', 'x-zegel-csrf': '1', cookie };
    const id = crypto.randomUUID();
    const created = await https('POST', '/api/files/uploads', {
      ...tus,
      'upload-length': String(UPLOAD_BYTES),
      'upload-metadata': `id ${Buffer.from(id).toString('base64')}`,
    });
    expect(created.status).toBe(201);
    const started = Date.now();
    const dropAt = Math.floor(UPLOAD_BYTES / CHUNK / 2) * CHUNK;
    let offset = 0;
    let dropped = false;
    while (offset < UPLOAD_BYTES) {
      const length = Math.min(CHUNK, UPLOAD_BYTES - offset);
      const headers = {
        ...tus,
        'content-type': 'application/offset+octet-stream',
        'upload-offset': String(offset),
        'content-length': String(length),
      };
      if (!dropped && offset === dropAt) {
        dropped = true;
        await expect(
          https('PATCH', `/api/files/uploads/${id}`, headers, fileBytes(offset, length), length / 2),
        ).rejects.toThrow();
        // Ask where to go on, as tus clients do; the cut request may still hold its lock a moment.
        for (let i = 0; ; i++) {
          const head = await https('HEAD', `/api/files/uploads/${id}`, tus);
          head.body.resume();
          if (Number(head.headers['upload-offset']) === offset) break;
          if (i > 50) throw new Error(`offset after the drop: ${head.headers['upload-offset']}`);
          await sleep(200);
        }
      }
      const patched = await https('PATCH', `/api/files/uploads/${id}`, headers, fileBytes(offset, length));
      patched.body.resume();
      if (patched.status === 423) {
        await sleep(200);
        continue;
      }
      expect(patched.status).toBe(204);
      offset = Number(patched.headers['upload-offset']);
    }
    const uploadMs = Date.now() - started;
    // Consecutive PATCHes alternate between the processes (nginx's round robin); with only a
    // few (a small ZEGEL_DEPLOY_UPLOAD_BYTES) the HEAD requests may line them up on one.
    const patches = [...(await nginx.accessLog()).matchAll(/^PATCH 204 (\S+)$/gm)].map((line) => line[1]);
    if (patches.length >= 6)
      expect(new Set(patches)).toEqual(new Set(processes.map((p) => p.url.replace('http://', ''))));
    const download = await https('GET', `/api/files/${id}`, { cookie });
    expect(download.status).toBe(200);
    const [got, want] = await Promise.all([sha256Of(download.body), sha256Of(fileBytes(0, UPLOAD_BYTES))]);
    expect(got).toBe(want);
    process.stdout.write(
      `deploy: ${UPLOAD_BYTES / MiB} MiB through nginx: upload ${uploadMs} ms, download+verify ${Date.now() - started - uploadMs} ms\n`,
    );
  }, 600_000);

  it('drops no request while one process stops (a rolling restart)', async () => {
    const browser = client();
    for (const [k, v] of admin.browser.cookies) browser.cookies.set(k, v);
    const statuses: number[] = [];
    let stopping = true;
    const load = (async () => {
      while (stopping) statuses.push((await browser.get('/api/me')).statusCode);
    })();
    await sleep(300);
    const stopped = await processes[0]!.stop();
    await sleep(500);
    stopping = false;
    await load;
    expect(stopped.code).toBe(0);
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    process.stdout.write(
      `deploy: ${statuses.length} requests while a process stopped (${stopped.ms} ms), none failed\n`,
    );
  });
});
