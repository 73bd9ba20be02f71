/**
 * Large files (issue 4) in real Chromium against a real embedded server, once with blobs on disk
 * and once in an S3-compatible bucket (s3rver on loopback): a staff member sends a
 * 2 GiB file, a 0-byte and a 1-byte file ("Bestanden versturen": encrypted in a Web Worker,
 * uploaded with tus) to a guest with an access code; halfway through, the upload is paused and
 * resumed in the UI, the server is killed (SIGKILL) and started again, after which the upload
 * carries on by itself, and the page is reloaded, after which the same file chosen again resumes
 * the upload where it was. The guest downloads every file through the download service
 * worker, the large one again across a server kill and restart (resumed with Range); the saved
 * files are byte-identical (SHA-256). The server's resident memory (VmRSS, every
 * 100 ms) stays under 250 MB and the pages' JS heaps stay bounded throughout. A record altered
 * in the server's blob store makes the download fail loudly and nothing is saved. Axe on the
 * composer with files and on the conversation page.
 *
 * The server runs on a PostgreSQL database of its own on the local PostgreSQL (as `npm run test:pg`
 * uses; ZEGEL_TEST_POSTGRES_URL names another): PGlite alone takes some 500 MB of WebAssembly
 * heap, which would say nothing about how a file moves through the server.
 *
 * ZEGEL_E2E_LARGE_FILE_MIB (default 2048) sets the large file's size for quicker local runs.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { Browser, BrowserContext, CDPSession, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver } from '../apps/server/test/s3rver.ts';
import { signInAsDemo } from './support/accounts.ts';
import { findAccessibilityViolations, launchChromium, openContext } from './support/browser.ts';
import { type SmtpSink, startSmtpSink, waitFor } from './support/loopback-fakes.ts';
import { startZegelServer, type ZegelServer } from './support/zegel-server.ts';

const MiB = 1024 * 1024;
const LARGE_BYTES = Number(process.env.ZEGEL_E2E_LARGE_FILE_MIB ?? 2048) * MiB;
const SERVER_RSS_LIMIT = 250 * 1000 * 1000;
const PAGE_HEAP_LIMIT = 300 * 1000 * 1000;
const GUEST = { email: 'rechtbank.griffie@example.nl', code: 'Tulpenveld-77' };
const SUBJECT = 'Dossier 2024/118: beeldmateriaal';
/** Content format v1: 81-byte header, 1 MiB records with a 16-byte tag each. */
const encryptedSize = (size: number) => 81 + size + Math.max(1, Math.ceil(size / MiB)) * 16;

let dir: string;
let database: { url: string; drop: () => Promise<void> } | undefined;
let smtp: SmtpSink;
let server: ZegelServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Per browser profile: the workers, the service worker and its frame must all pass the CSP. */
const cspViolations: string[][] = [];
const inputs: Record<
  'large' | 'empty' | 'one' | 'damaged' | 'reply',
  { path: string; name: string; hash: string; size: number }
> = {} as never;

/** Writes `size` pseudo-random bytes (AES-CTR keystream) fast, hashing them on the way. */
async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
  const zeros = Buffer.alloc(8 * MiB);
  async function* chunks() {
    for (let written = 0; written < size; written += zeros.length) {
      const chunk = cipher.update(zeros.subarray(0, Math.min(zeros.length, size - written)));
      hash.update(chunk);
      yield chunk;
    }
  }
  await pipeline(chunks(), createWriteStream(path));
  return hash.digest('hex');
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 4 * MiB }), hash);
  return hash.digest('hex');
}

/** Samples a value every `ms`; `stop()` returns the peak. */
function sample(ms: number, read: () => Promise<number | null>): { stop: () => Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const value = await read().catch(() => null);
      if (value !== null && value > peak) peak = value;
      await new Promise((resolve) => setTimeout(resolve, ms));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}

async function serverRss(): Promise<number | null> {
  const status = await readFile(`/proc/${server.pid()}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kib ? Number(kib) * 1024 : null;
}

async function heapOf(session: CDPSession): Promise<number | null> {
  const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
  return usage.usedSize;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zegel-large-files-'));
  const make = async (key: keyof typeof inputs, name: string, size: number) => {
    const path = join(dir, name);
    inputs[key] = { path, name, size, hash: await writeRandomFile(path, size) };
  };
  await make('large', 'camerabeelden.bin', LARGE_BYTES);
  await make('empty', 'leeg.txt', 0);
  await make('one', 'een-byte.bin', 1);
  await make('damaged', 'verklaring.pdf', 3 * MiB + 123);
  await make('reply', 'aanvulling.zip', 2 * MiB + 5);
  smtp = await startSmtpSink();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await smtp?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * A server on a fresh database with its blobs on disk or in an S3-compatible bucket (s3rver on
 * loopback); returns where a blob's bytes can be found on disk, to alter one.
 */
async function startServer(store: 'file' | 's3'): Promise<{ blobRoot: string; stop: () => Promise<void> }> {
  database = await createDatabase();
  const s3 = store === 's3' ? await startS3rver() : undefined;
  server = await startZegelServer({
    env: {
      ZEGEL_EMBEDDED: 'true',
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      ZEGEL_JOB_POLL_MS: '200',
      // A killed server's upload lock expires quickly, so the resumed upload is not kept waiting.
      ZEGEL_UPLOAD_LOCK_SECONDS: '3',
      NODE_OPTIONS: '--max-semi-space-size=1',
      ...(s3
        ? {
            ZEGEL_BLOB_STORE: 's3',
            S3_ENDPOINT: s3.endpoint,
            S3_BUCKET: s3.bucket,
            S3_ACCESS_KEY_ID: s3.accessKeyId,
            S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
          }
        : {}),
    },
  });
  return {
    blobRoot: s3 ? s3.directory : join(server.dataDir, 'blobs'),
    stop: async () => {
      await server?.stop();
      await s3?.close();
      await database?.drop();
    },
  };
}

async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.ZEGEL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `zegel_e2e_files_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function newPage(): Promise<Page> {
  const { context, cspViolations: violations } = await openContext(browser, server.url);
  contexts.push(context);
  cspViolations.push(violations);
  return context.newPage();
}

/** The progress bar of one file in the composer, as its value and max. */
async function uploadProgress(page: Page, name: string): Promise<{ value: number; max: number }> {
  const bar = page.getByRole('progressbar', { name: `Uploadvoortgang van ${name}` });
  return bar.evaluate((element: HTMLProgressElement) => ({ value: element.value, max: element.max }));
}

async function waitForUploadedBytes(page: Page, name: string, atLeast: number) {
  await expect
    .poll(async () => (await uploadProgress(page, name)).value, { timeout: 120_000, interval: 100 })
    .toBeGreaterThanOrEqual(atLeast);
}

// The same journey with each blob store; one after the other, so two 2 GiB transfers do not share
// the two CPUs.
describe.each(['file', 's3'] as const)('large files, %s blob store', (store) => {
  let stores: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    smtp.mails.splice(0); // the guest's link must come from this run's server
    stores = await startServer(store);
  }, 180_000);
  afterAll(() => stores?.stop());
  let staff: Page;
  let staffHeap: CDPSession;
  let rss: { stop: () => Promise<number> };
  let heap: { stop: () => Promise<number> };
  const figures: Record<string, number> = {};

  it('uploads a large, an empty and a one-byte file with pause, resume, a server restart and a page reload', async () => {
    staff = await newPage();
    await signInAsDemo(staff, server.demo);
    await staff.getByRole('link', { name: 'Berichten' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Postvak IN' }).waitFor();
    await staff.getByRole('link', { name: 'Nieuw bericht' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Nieuw bericht' }).waitFor();

    staffHeap = await staff.context().newCDPSession(staff);
    rss = sample(100, serverRss);
    heap = sample(250, () => heapOf(staffHeap));
    const started = Date.now();
    await staff
      .locator('#compose-large-files')
      .setInputFiles([inputs.large.path, inputs.empty.path, inputs.one.path, inputs.damaged.path]);

    // Sending waits for the uploads: the button says so and nothing is sent.
    await staff.getByText(/Het bericht kan weg zodra alle bestanden zijn geüpload/).waitFor();
    const large = inputs.large.name;
    const total = encryptedSize(LARGE_BYTES);
    expect((await uploadProgress(staff, large)).max).toBe(total);

    // Pause in the UI: the bar stops; resume: it goes on from where it was.
    await waitForUploadedBytes(staff, large, Math.floor(total * 0.2));
    await staff.getByRole('button', { name: `Upload van ${large} pauzeren` }).click();
    await staff.getByText('Gepauzeerd bij').waitFor();
    const paused = (await uploadProgress(staff, large)).value;
    await staff.waitForTimeout(1500);
    expect((await uploadProgress(staff, large)).value).toBe(paused);
    await staff.getByRole('button', { name: `Upload van ${large} hervatten` }).click();
    // Pause and resume at once, while the worker is likely mid-slice: nothing may be sent twice or lost.
    await waitForUploadedBytes(staff, large, Math.floor(total * 0.3));
    await staff.getByRole('button', { name: `Upload van ${large} pauzeren` }).click();
    await staff.getByRole('button', { name: `Upload van ${large} hervatten` }).click();

    // A dropped connection: the server dies mid-PATCH and comes back; tus-js-client retries by itself.
    await waitForUploadedBytes(staff, large, Math.floor(total * 0.5));
    await server.restart();

    // A page reload mid-upload (after "leave this page?"): the finished files come back by
    // themselves; the large one waits for its file to be chosen again, is encrypted again up to
    // the server's offset (the same bytes: the key and header were kept in IndexedDB) and goes on.
    await waitForUploadedBytes(staff, large, Math.floor(total * 0.65));
    staff.once('dialog', (dialog) => void dialog.accept());
    await staff.reload();
    await staff.getByLabel('Wachtwoord', { exact: true }).fill(server.demo.password);
    await staff.getByRole('button', { name: 'Ontgrendelen' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Nieuw bericht' }).waitFor();
    const chooseAgain = staff.getByLabel(`${large} opnieuw kiezen om verder te gaan`);
    await chooseAgain.waitFor();
    expect(
      await findAccessibilityViolations(staff),
      'axe on the composer with an interrupted upload',
    ).toEqual([]);
    await chooseAgain.setInputFiles(inputs.one.path);
    await staff
      .getByRole('alert')
      .filter({ hasText: `Dat is niet hetzelfde bestand als ${large}` })
      .waitFor();
    await chooseAgain.setInputFiles(inputs.large.path);
    // It resumes (the first progress is the server's offset), rather than starting again at 0.
    await expect
      .poll(async () => (await uploadProgress(staff, large)).value, { timeout: 60_000, interval: 50 })
      .toBeGreaterThan(0);
    expect((await uploadProgress(staff, large)).value).toBeGreaterThanOrEqual(Math.floor(total * 0.6));

    const to = staff.locator('#compose-to');
    await to.fill(GUEST.email);
    await to.press('Enter');
    await staff.getByRole('radio', { name: 'Toegangscode' }).check();
    await staff.locator('input[id$="-code"]').fill(GUEST.code);
    await staff.getByLabel('Onderwerp').fill(SUBJECT);
    await staff.locator('#compose-body').click();
    await staff.keyboard.type('Bijgaand de camerabeelden en de verklaring.');
    await staff.getByText('4 van 4 bestanden geüpload').waitFor({ timeout: 240_000 });
    figures.uploadSeconds = (Date.now() - started) / 1000;
    await staff.getByText(/Het bericht kan weg zodra/).waitFor({ state: 'detached' });
    expect(await findAccessibilityViolations(staff), 'axe on the composer with files').toEqual([]);

    await staff.getByRole('button', { name: 'Versleuteld versturen' }).click();
    await staff.getByRole('heading', { level: 1, name: SUBJECT }).waitFor({ timeout: 30_000 });
    await staff.getByRole('button', { name: `${large} downloaden` }).waitFor();
    await staff.locator('[role="status"].zegel-loading').first().waitFor({ state: 'detached' });
    expect(await findAccessibilityViolations(staff), 'axe on the conversation page').toEqual([]);

    // A staff reply with a large file.
    await staff.locator('#reply-large-files').setInputFiles(inputs.reply.path);
    await staff.getByText('1 van 1 bestanden geüpload').waitFor({ timeout: 60_000 });
    await staff.getByRole('button', { name: 'Versleuteld antwoorden' }).click();
    await staff.getByRole('button', { name: `${inputs.reply.name} downloaden` }).waitFor();
    figures.uploadRssPeak = await rss.stop();
    rss = sample(100, serverRss);
  });

  it('lets the guest download every file byte-identical through the service worker', async () => {
    const mail = await waitFor('the guest’s notification', () =>
      smtp.mails.find((m) => m.to.includes(GUEST.email)),
    );
    const link = new URL(
      /https?:\/\/\S+\/g\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}/.exec(mail.parsed.text ?? '')?.[0] ?? '',
    );
    const guest = await newPage();
    await guest.goto(`${link.pathname}${link.hash}`);
    await guest.getByLabel('Toegangscode').fill(GUEST.code);
    await guest.getByRole('button', { name: 'Bevestigen' }).click();
    await guest.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    expect(await findAccessibilityViolations(guest), 'axe on the guest page with files').toEqual([]);
    const guestHeap = await guest.context().newCDPSession(guest);
    const guestHeapSampler = sample(250, () => heapOf(guestHeap));

    const download = async (name: string): Promise<Download> => {
      const [started] = await Promise.all([
        guest.waitForEvent('download', { timeout: 60_000 }),
        guest.getByRole('button', { name: `${name} downloaden` }).click(),
      ]);
      return started;
    };
    for (const key of ['empty', 'one', 'reply', 'large'] as const) {
      const started = Date.now();
      const saved = await download(inputs[key].name);
      if (key === 'large') {
        // A dropped connection mid-download: the server dies and comes back; the page asks for
        // the rest with Range and feeds the same decryption stream.
        const bar = guest.getByRole('progressbar', { name: `Downloadvoortgang van ${inputs.large.name}` });
        await expect
          .poll(() => bar.evaluate((element: HTMLProgressElement) => element.value / element.max), {
            timeout: 60_000,
            interval: 100,
          })
          .toBeGreaterThan(0.3);
        await server.restart();
      }
      const failure = await saved.failure();
      const alerts = await guest.getByRole('alert').allTextContents();
      expect(failure, `download of ${inputs[key].name}; on the page: ${alerts.join(' | ')}`).toBeNull();
      const path = await saved.path();
      if (key === 'large') figures.downloadSeconds = (Date.now() - started) / 1000;
      expect((await stat(path)).size).toBe(inputs[key].size);
      expect(await hashFile(path), `SHA-256 of ${inputs[key].name}`).toBe(inputs[key].hash);
      expect(saved.suggestedFilename()).toBe(inputs[key].name);
      await guest.getByText(`${inputs[key].name} is gedownload en compleet.`).waitFor();
      await saved.delete();
    }
    figures.guestHeapPeak = await guestHeapSampler.stop();
    figures.serverRssPeak = await rss.stop();
    figures.staffHeapPeak = await heap.stop();
    console.info(
      `large files (${store} store): ${LARGE_BYTES / MiB} MiB up in ${figures.uploadSeconds?.toFixed(1)} s (incl. pause, server restart and page reload), ` +
        `down in ${figures.downloadSeconds?.toFixed(1)} s; server VmRSS peak ${(figures.uploadRssPeak! / 1e6).toFixed(0)} MB ` +
        `while uploading, ${(figures.serverRssPeak! / 1e6).toFixed(0)} MB while downloading; ` +
        `JS heap peak staff ${(figures.staffHeapPeak! / 1e6).toFixed(0)} MB, guest ${(figures.guestHeapPeak! / 1e6).toFixed(0)} MB`,
    );
    expect(figures.uploadRssPeak).toBeLessThan(SERVER_RSS_LIMIT);
    expect(figures.serverRssPeak).toBeLessThan(SERVER_RSS_LIMIT);
    expect(figures.staffHeapPeak).toBeLessThan(PAGE_HEAP_LIMIT);
    expect(figures.guestHeapPeak).toBeLessThan(PAGE_HEAP_LIMIT);

    // A record altered on disk: the download starts (the first record is fine), then fails
    // loudly, and the browser never completes the file.
    const blobs = await findFiles(stores.blobRoot);
    const damagedSize = encryptedSize(inputs.damaged.size);
    const candidates = [];
    for (const path of blobs) if ((await stat(path)).size === damagedSize) candidates.push(path);
    expect(candidates).toHaveLength(1);
    const handle = await open(candidates[0]!, 'r+');
    const at = 81 + (MiB + 16) * 2 + 500;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x01;
    await handle.write(byte, 0, 1, at);
    await handle.close();
    const damaged = await download(inputs.damaged.name);
    expect(await damaged.failure()).not.toBeNull();
    expect(await damaged.path().catch(() => null)).toBeFalsy();
    await guest.getByRole('alert').filter({ hasText: 'Het bestand is beschadigd' }).waitFor();
    expect(await guest.getByText(`${inputs.damaged.name} is gedownload`).count()).toBe(0);
    expect(cspViolations.flat()).toEqual([]);
  });
});

async function findFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) found.push(join(entry.parentPath, entry.name));
  return found;
}
