/**
 * What a guest page load costs in script: the JavaScript files Chromium fetches from the built
 * app (apps/web/dist), sized as gzip of the file on disk, since the server sends them uncompressed
 * and a production proxy would gzip them. Workers are listed apart: they do not hold up the page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { repositoryRoot } from '../../e2e/support/zegel-server.ts';

const assets = join(repositoryRoot, 'apps/web/dist/assets');

export interface FetchedScript {
  file: string;
  isWorker: boolean;
}

/** Starts recording the app's script and worker files the page requests; read the array later. */
export function recordScripts(page: Page): FetchedScript[] {
  const fetched: FetchedScript[] = [];
  page.on('request', (request) => {
    const type = request.resourceType();
    const path = new URL(request.url()).pathname;
    if (!path.startsWith('/assets/') || !path.endsWith('.js')) return;
    if (type !== 'script' && type !== 'worker' && type !== 'other') return;
    const file = path.slice('/assets/'.length);
    if (!fetched.some((f) => f.file === file)) fetched.push({ file, isWorker: type === 'worker' });
  });
  return fetched;
}

export function gzipKb(file: string): number {
  return gzipSync(readFileSync(join(assets, file))).length / 1024;
}

/** Every main-thread script the build ships (workers excluded by their `-worker` name). */
export function allAppScripts(): string[] {
  return readdirSync(assets).filter((f) => f.endsWith('.js') && !/worker/.test(f));
}

/** The entry chunk index.html loads. */
export function entryScript(): string {
  const html = readFileSync(join(repositoryRoot, 'apps/web/dist/index.html'), 'utf8');
  return /<script[^>]+src="\/assets\/([^"]+\.js)"/.exec(html)?.[1] ?? '?';
}

/** Prints each fetched file with its gzip size, the total, the goal, and the whole app as baseline. */
export function printScriptCost(label: string, fetched: FetchedScript[], goalKb: number): void {
  const entry = entryScript();
  const scripts = fetched.filter((f) => !f.isWorker);
  const workers = fetched.filter((f) => f.isWorker);
  const total = scripts.reduce((sum, f) => sum + gzipKb(f.file), 0);
  const whole = allAppScripts().reduce((sum, f) => sum + gzipKb(f), 0);
  console.log(`${label}: ${scripts.length} script files`);
  for (const f of scripts) {
    console.log(
      `  ${gzipKb(f.file).toFixed(1).padStart(7)} kB gzip  ${f.file}${f.file === entry ? ' (entry)' : ''}`,
    );
  }
  for (const f of workers)
    console.log(`  ${gzipKb(f.file).toFixed(1).padStart(7)} kB gzip  ${f.file} (worker)`);
  console.log(
    `  total ${total.toFixed(1)} kB gzip (goal ≤ ${goalKb} kB); baseline: the whole app's main-thread script ${whole.toFixed(1)} kB gzip; ratio ${(total / whole).toFixed(2)}`,
  );
}
