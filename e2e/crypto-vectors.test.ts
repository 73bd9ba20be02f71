/**
 * Runs the crypto known-answer vectors inside headless Chromium: the same runner that Node runs in
 * packages/protocol/src/crypto/vectors/vectors.test.ts, bundled with esbuild for the browser, so
 * browser and server are proven to produce and accept the same bytes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vectors from '../packages/protocol/src/crypto/vectors/known-answer-v1.json' with { type: 'json' };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface VectorResult {
  section: string;
  name: string;
  ok: boolean;
  detail?: string;
}

let server: Server;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: [
        "import { runKnownAnswerVectors } from './packages/protocol/src/crypto/vectors/run.ts';",
        "import vectors from './packages/protocol/src/crypto/vectors/known-answer-v1.json';",
        'globalThis.runZegelVectors = () => runKnownAnswerVectors(vectors);',
      ].join('\n'),
      resolveDir: root,
      sourcefile: 'crypto-vectors-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const page =
    '<!doctype html><html lang="en"><title>crypto vectors</title><script type="module" src="/vectors.js"></script>';
  server = createServer((request, response) => {
    if (request.url === '/vectors.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else {
      response.writeHead(404).end();
    }
  });
  // Loopback only: http://127.0.0.1 is a secure context, which WebCrypto requires.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('crypto known-answer vectors in Chromium', () => {
  it('all pass in the browser', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await page.waitForFunction(() => 'runZegelVectors' in globalThis);
    const results = await page.evaluate(() =>
      (globalThis as unknown as { runZegelVectors: () => Promise<VectorResult[]> }).runZegelVectors(),
    );
    expect(pageErrors).toEqual([]);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    const expectedCount =
      1 +
      vectors.content.length +
      vectors.hpke.length +
      vectors.privateKeyWrap.length +
      vectors.guest.length +
      vectors.account.length +
      vectors.proofOfWork.length;
    expect(results.length).toBe(expectedCount);
    expect(new Set(results.map((result) => result.section))).toEqual(
      new Set(['content', 'hpke', 'privateKeyWrap', 'guest', 'account', 'proofOfWork']),
    );
    await page.close();
  });
});
