import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../test/database.ts';
import { testConfig } from '../test/harness.ts';
import { createApp } from './app.ts';
import { createDeps } from './boot.ts';
import type { TypedApp } from './http/typed-app.ts';

/** What `vite build` writes (apps/web/index.html after bundling). */
const VITE_INDEX = `<!doctype html>
<html lang="nl">
  <head>
    <title>Zegel</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <script type="module" crossorigin src="/assets/index-abc.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/runtime-def.js">
    <link rel="stylesheet" crossorigin href="/assets/index-ghi.css">
  </head>
  <body><div id="root"></div></body>
</html>`;

/** The integrity value of a file, computed the way an operator could: openssl. */
function integrityByOpenssl(path: string): string {
  const digest = execFileSync('sh', [
    '-c',
    `openssl dgst -sha384 -binary "$1" | openssl base64 -A`,
    'sh',
    path,
  ]);
  return `sha384-${digest.toString().trim()}`;
}

let app: TypedApp;
let webDist: string;

beforeAll(async () => {
  webDist = await mkdtemp(join(tmpdir(), 'zegel-web-dist-'));
  await mkdir(join(webDist, 'assets'));
  await writeFile(join(webDist, 'index.html'), VITE_INDEX);
  await writeFile(join(webDist, 'assets', 'index-abc.js'), 'export {};');
  await writeFile(join(webDist, 'assets', 'runtime-def.js'), 'export const r = 1;');
  await writeFile(join(webDist, 'assets', 'index-ghi.css'), 'body { margin: 0 }');
  await writeFile(join(webDist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  app = await createApp(createDeps(testConfig(), await openTestDatabase()), { logger: false, webDist });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await rm(webDist, { recursive: true, force: true });
});

describe('the built web app', () => {
  it('puts subresource integrity on every script and stylesheet of index.html, on every path', async () => {
    for (const url of ['/', '/index.html', '/sign-in']) {
      const page = (await app.inject({ method: 'GET', url })).body;
      expect(page).toContain(
        `<script type="module" crossorigin src="/assets/index-abc.js" integrity="${integrityByOpenssl(join(webDist, 'assets', 'index-abc.js'))}"></script>`,
      );
      expect(page).toContain(
        `<link rel="modulepreload" crossorigin href="/assets/runtime-def.js" integrity="${integrityByOpenssl(join(webDist, 'assets', 'runtime-def.js'))}">`,
      );
      expect(page).toContain(
        `<link rel="stylesheet" crossorigin href="/assets/index-ghi.css" integrity="${integrityByOpenssl(join(webDist, 'assets', 'index-ghi.css'))}">`,
      );
      expect(page).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
    }
  });

  it('publishes the build hash on /api/health, as the README computes it from a build', async () => {
    const recipe = 'find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum';
    const expected = execFileSync('sh', ['-c', recipe], { cwd: webDist }).toString().split(' ')[0];
    const health = (await app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(health.webBuild).toEqual({ sha256: expected, files: 5 });
  });

  it('serves its assets without a session, so the sign-in page can load', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/favicon.svg' })).statusCode).toBe(200);
  });

  it('answers client routes with index.html and keeps /api/ 404s as JSON', async () => {
    const page = await app.inject({ method: 'GET', url: '/sign-in' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Zegel</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const api = await app.inject({ method: 'GET', url: '/api/does-not-exist' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
  });
});
