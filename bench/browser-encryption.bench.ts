/**
 * Encryption speed of large files in Chromium, as a ratio to raw WebCrypto AES-GCM over the same
 * buffer in the same page. Zegel's figure is the real upload path: the built web app's encryption
 * worker (apps/web/src/features/files/encrypt-worker.ts, `npm run build` first) reads a `File`
 * as a stream, encrypts it record by record (content format v1, 1 MiB records) and hands the
 * ciphertext to the page in 16 MiB pieces. The baseline is one `crypto.subtle.encrypt` call
 * over the whole buffer, and AES-GCM per 1 MiB record with four in flight (the format's
 * batching) without any framing. BENCH_ENCRYPT_MIB sets the size (default 256).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, openContext } from '../e2e/support/browser.ts';
import { repositoryRoot, startZegelServer } from '../e2e/support/zegel-server.ts';

const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_ENCRYPT_MIB ?? 256) * MiB;
const ROUNDS = 3;
const worker = readdirSync(join(repositoryRoot, 'apps/web/dist/assets')).find(
  (name) => name.startsWith('encrypt-worker-') && name.endsWith('.js'),
);
if (!worker) throw new Error('no encrypt-worker in apps/web/dist/assets: run `npm run build` first');

const server = await startZegelServer();
const browser = await launchChromium();
try {
  const page = await (await openContext(browser, server.url)).context.newPage();
  await page.goto('/');
  const result = await page.evaluate(
    async ({ size, rounds, workerUrl, expected }) => {
      const data = new Uint8Array(size);
      for (let at = 0; at < size; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
      const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const best = async (run: () => Promise<void>) => {
        let fastest = Number.POSITIVE_INFINITY;
        for (let i = 0; i < rounds; i++) {
          const started = performance.now();
          await run();
          fastest = Math.min(fastest, performance.now() - started);
        }
        return fastest;
      };
      const whole = await best(async () => {
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, data);
      });
      const records = await best(async () => {
        for (let at = 0; at < size; at += 4 * 1048576) {
          const batch = [];
          for (let r = at; r < Math.min(size, at + 4 * 1048576); r += 1048576)
            batch.push(crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, data.subarray(r, r + 1048576)));
          await Promise.all(batch);
        }
      });
      const file = new File([data], 'bench.bin');
      const rawKey = crypto.getRandomValues(new Uint8Array(32));
      const keyText = btoa(String.fromCharCode(...rawKey))
        .replaceAll('+', '-')
        .replaceAll('/', '_')
        .replace(/=+$/, '');
      let received = 0;
      const zegel = await best(async () => {
        // The page's Worker (bench is type-checked without the DOM library).
        const PageWorker = (
          globalThis as unknown as {
            Worker: new (
              url: string,
              options: { type: 'module' },
            ) => {
              postMessage: (message: unknown) => void;
              terminate: () => void;
              onmessage:
                | ((event: { data: { type: string; bytes?: ArrayBuffer; message?: string } }) => void)
                | null;
            };
          }
        ).Worker;
        const encrypter = new PageWorker(workerUrl, { type: 'module' });
        const next = () =>
          new Promise<{ type: string; bytes?: ArrayBuffer; message?: string }>((resolve) => {
            encrypter.onmessage = (event) => resolve(event.data);
          });
        let reply = next();
        encrypter.postMessage({ type: 'open', file, key: keyText, fileId: crypto.randomUUID() });
        await reply;
        received = 0;
        while (received < expected) {
          reply = next();
          encrypter.postMessage({ type: 'read', size: Math.min(16 * 1048576, expected - received) });
          const answer = await reply;
          if (answer.type !== 'bytes' || !answer.bytes) throw new Error(answer.message ?? 'no bytes');
          received += answer.bytes.byteLength;
        }
        encrypter.terminate();
      });
      return { whole, records, zegel, received };
    },
    {
      size: SIZE,
      rounds: ROUNDS,
      workerUrl: `/assets/${worker}`,
      expected: 81 + SIZE + Math.max(1, Math.ceil(SIZE / MiB)) * 16,
    },
  );
  const rate = (ms: number) => `${((SIZE / MiB / ms) * 1000).toFixed(0)} MiB/s`;
  console.log(
    `Chromium, ${SIZE / MiB} MiB, best of ${ROUNDS}: raw WebCrypto AES-GCM one call ${result.whole.toFixed(0)} ms (${rate(result.whole)}), ` +
      `per 1 MiB record ${result.records.toFixed(0)} ms (${rate(result.records)}); ` +
      `Zegel upload encryption (worker, File stream → content format v1 → page) ${result.zegel.toFixed(0)} ms (${rate(result.zegel)})`,
  );
  console.log(
    `speed ratio Zegel / raw AES-GCM: ${(result.whole / result.zegel).toFixed(2)} of one call, ` +
      `${(result.records / result.zegel).toFixed(2)} of per-record (1.00 = as fast); ciphertext ${result.received} bytes`,
  );
} finally {
  await browser.close();
  await server.stop();
}
