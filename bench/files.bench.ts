/**
 * Large encrypted files through the server: a file of BENCH_FILE_MIB MiB (default 1024) is
 * encrypted on the fly (content format v1, streamed) into a temporary file, then
 * - uploaded with one tus PATCH (curl -T) to Zegel, and PUT with curl to a plain static file
 *   server on loopback;
 * - downloaded with curl from both;
 * - downloaded again from Zegel and decrypted as a stream, compared by SHA-256 with the plaintext.
 * Prints throughputs and their ratio to the plain server, and the Zegel process's peak resident
 * memory, sampled every 50 ms; exits 1 if that goes over 250 MB.
 * BENCH_BLOB_STORE=s3 puts the blobs in an S3-compatible bucket (s3rver on loopback, in this
 * process) instead of the file store.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startS3rver } from '../apps/server/test/s3rver.ts';
import {
  createContentDecryptionStream,
  createContentEncryptionStream,
  generateContentKey,
  getEncryptedContentSize,
} from '../packages/protocol/src/crypto/index.ts';

const MiB = 1024 * 1024;
/**
 * V8 grows its young generation under a high allocation rate (every 64 KiB chunk has a small
 * wrapper), which shows as up to ~70 MB of resident slack that is garbage, not data; a small
 * semi-space keeps RSS flat at a cost of a few per cent of throughput. docs/files.md recommends the
 * same NODE_OPTIONS for servers. BENCH_NODE_FLAGS='' measures V8's defaults.
 */
const DEFAULT_NODE_FLAGS = '--max-semi-space-size=1';
const SIZE = Number(process.env.BENCH_FILE_MIB ?? 1024) * MiB;
const RSS_LIMIT = 250 * 1000 * 1000;
const here = dirname(fileURLToPath(import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'zegel-files-bench-'));

/** Deterministic plaintext, generated in 1 MiB chunks; its SHA-256 is computed on the way. */
function plaintextStream(hash: ReturnType<typeof createHash>): ReadableStream<Uint8Array> {
  let sent = 0;
  const block = new Uint8Array(MiB);
  return new ReadableStream({
    pull(controller) {
      if (sent >= SIZE) return controller.close();
      const n = Math.min(MiB, SIZE - sent);
      for (let i = 0; i < n; i += 4096) block[i] = (sent / MiB + i) & 0xff;
      const chunk = block.slice(0, n);
      hash.update(chunk);
      controller.enqueue(chunk);
      sent += n;
    },
  });
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Runs curl without blocking this process (the plain server and the memory sampler live here). */
function curl(args: string[]): Promise<{ seconds: number; code: string }> {
  return new Promise((done, fail) => {
    const child = spawn('curl', ['-sS', '-o', '/dev/null', '-w', '%{time_total} %{http_code}', ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('exit', (status) => {
      if (status !== 0) return fail(new Error(`curl failed: ${err}`));
      const [seconds = '0', code = ''] = out.trim().split(' ');
      done({ seconds: Number(seconds), code });
    });
  });
}

/** The plain baseline: PUT writes the body to a file, GET streams it back. Nothing else. */
async function startStaticServer(root: string) {
  const server = createServer((req, res) => {
    const path = join(root, 'static.bin');
    if (req.method === 'PUT') {
      pipeline(req, createWriteStream(path)).then(
        () => res.writeHead(201).end(),
        () => res.writeHead(500).end(),
      );
    } else if (req.method === 'GET') {
      stat(path).then(
        ({ size }) => {
          res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
          createReadStream(path).pipe(res);
        },
        () => res.writeHead(404).end(),
      );
    } else res.writeHead(405).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise((done) => server.close(done)) };
}

/**
 * A database of its own on the local PostgreSQL (as `npm run test:pg` uses), so the server's
 * memory is the server's: PGlite alone takes hundreds of MB of WebAssembly heap.
 */
async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const adminUrl = process.env.ZEGEL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `zegel_bench_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch {
    return undefined;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

const benchDatabase = await createBenchDatabase();
const s3 = process.env.BENCH_BLOB_STORE === 's3' ? await startS3rver() : undefined;
const storeName = s3 ? 'S3 store (s3rver)' : 'file store';

function startZegel(): Promise<{ url: string; cookie: string; pid: number; child: ChildProcess }> {
  const args = [join(here, 'support/files-server.ts'), dir, ...(benchDatabase ? [benchDatabase.url] : [])];
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_FLAGS ?? DEFAULT_NODE_FLAGS).split(' ').filter(Boolean), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...(s3 ? { BENCH_S3_ENDPOINT: s3.endpoint, BENCH_S3_BUCKET: s3.bucket } : {}) },
    },
  );
  return new Promise((done, fail) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) done({ ...JSON.parse(line), child });
    });
    child.on('exit', (code) => fail(new Error(`bench server exited with ${code}`)));
  });
}

const key = generateContentKey();
const fileId = crypto.randomUUID();
const cipherPath = join(dir, 'cipher.bin');
const plainHash = createHash('sha256');
const encryptStart = performance.now();
await pipeline(
  Readable.fromWeb(
    plaintextStream(plainHash).pipeThrough(
      createContentEncryptionStream(key, { associatedData: fileId }),
    ) as never,
  ),
  createWriteStream(cipherPath),
);
const encryptSeconds = (performance.now() - encryptStart) / 1000;
const cipherSize = (await stat(cipherPath)).size;
if (cipherSize !== getEncryptedContentSize(SIZE)) throw new Error('ciphertext size mismatch');

const zegel = await startZegel();
const plain = await startStaticServer(dir);
let peakRss = rssOf(zegel.pid);
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, rssOf(zegel.pid));
}, 50);
const idleRss = peakRss;

try {
  const tus = ['-H', 'tus-resumable: 1.0.0', '-H', 'x-zegel-csrf: 1', '-H', `cookie: ${zegel.cookie}`];
  const created = await curl([
    '-X',
    'POST',
    ...tus,
    '-H',
    `upload-length: ${cipherSize}`,
    '-H',
    `upload-metadata: id ${Buffer.from(fileId).toString('base64')}`,
    `${zegel.url}/api/files/uploads`,
  ]);
  if (created.code !== '201') throw new Error(`create: ${created.code}`);
  const zegelUp = await curl([
    '-X',
    'PATCH',
    ...tus,
    '-H',
    'content-type: application/offset+octet-stream',
    '-H',
    'upload-offset: 0',
    '-T',
    cipherPath,
    `${zegel.url}/api/files/uploads/${fileId}`,
  ]);
  if (zegelUp.code !== '204') throw new Error(`patch: ${zegelUp.code}`);
  const plainUp = await curl(['-T', cipherPath, `${plain.url}/static.bin`]);
  const zegelDown = await curl(['-H', `cookie: ${zegel.cookie}`, `${zegel.url}/api/files/${fileId}`]);
  if (zegelDown.code !== '200') throw new Error(`download: ${zegelDown.code}`);
  const plainDown = await curl([`${plain.url}/static.bin`]);

  // Download again and decrypt as a stream: the file must come back whole and identical.
  const decryptedHash = createHash('sha256');
  const decryptStart = performance.now();
  await new Promise<void>((done, fail) => {
    request(`${zegel.url}/api/files/${fileId}`, { headers: { cookie: zegel.cookie } }, (res) => {
      const decrypted = (Readable.toWeb(res) as ReadableStream<Uint8Array>).pipeThrough(
        createContentDecryptionStream(key, { associatedData: fileId }),
      );
      pipeline(
        Readable.fromWeb(decrypted as never),
        new Writable({
          write(chunk: Buffer, _encoding, next) {
            decryptedHash.update(chunk);
            next();
          },
        }),
      ).then(done, fail);
    })
      .on('error', fail)
      .end();
  });
  const decryptSeconds = (performance.now() - decryptStart) / 1000;
  const identical = decryptedHash.digest('hex') === plainHash.digest('hex');

  const mbps = (seconds: number) => cipherSize / MiB / seconds;
  const line = (name: string, seconds: number, baseline?: number) =>
    console.log(
      `${name.padEnd(44)} ${mbps(seconds).toFixed(0).padStart(6)} MiB/s${
        baseline === undefined ? '' : `   ratio to curl + plain server ${(baseline / seconds).toFixed(2)}`
      }`,
    );
  console.log(
    `${(cipherSize / MiB).toFixed(0)} MiB of ciphertext (${SIZE / MiB} MiB plaintext), loopback, ${storeName}, ${benchDatabase ? 'PostgreSQL' : 'PGlite'}, server flags '${process.env.BENCH_NODE_FLAGS ?? DEFAULT_NODE_FLAGS}'`,
  );
  line('encrypt (content format v1, streamed, Node)', encryptSeconds);
  line('curl PUT to plain static server', plainUp.seconds);
  line('curl tus PATCH to Zegel (one request)', zegelUp.seconds, plainUp.seconds);
  line('curl GET from plain static server', plainDown.seconds);
  line('curl GET from Zegel', zegelDown.seconds, plainDown.seconds);
  line('GET from Zegel + streamed decryption', decryptSeconds);
  console.log(`decrypted file identical to the plaintext (SHA-256): ${identical ? 'yes' : 'NO'}`);
  console.log(
    `Zegel server resident memory: idle ${(idleRss / 1e6).toFixed(0)} MB, peak ${(peakRss / 1e6).toFixed(0)} MB (limit ${RSS_LIMIT / 1e6} MB)`,
  );
  if (!identical || peakRss > RSS_LIMIT) process.exitCode = 1;
} finally {
  clearInterval(sampler);
  zegel.child.kill('SIGTERM');
  await plain.close();
  await new Promise((done) => (zegel.child.exitCode !== null ? done(null) : zegel.child.on('exit', done)));
  await rm(dir, { recursive: true, force: true });
  await benchDatabase?.drop();
  await s3?.close();
}
