import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import { integrityOf, sha256Hex } from './adapters/file-digest.ts';
import type { TypedApp } from './http/typed-app.ts';

/** The built single-page app as this process serves it. */
export interface WebBuild {
  dir: string;
  /** index.html with an `integrity` attribute on every script and stylesheet of the build. */
  indexHtml: string;
  /**
   * SHA-256 over `sha256sum` lines of every file, sorted by path: the same value as
   * `find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum` in the directory.
   */
  sha256: string;
  files: number;
}

/**
 * Reads and hashes the build once at start, one file at a time, keeping only digests: the build
 * with its source maps is some 13 MB, which a restart in the middle of a large upload should not
 * hold at once. Undefined when there is none (API-only tests).
 */
export async function loadWebBuild(dir: string): Promise<WebBuild | undefined> {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const digests = new Map<string, { sha256: string; integrity: string | undefined }>();
  for (const path of await listFiles(dir)) {
    const data = await readFile(path);
    const name = `./${relative(dir, path).split(sep).join('/')}`;
    digests.set(name, {
      sha256: sha256Hex(data),
      integrity: isSubresource(name) ? integrityOf(data) : undefined,
    });
  }
  const paths = [...digests.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const lines = paths.map((path) => `${digests.get(path)?.sha256}  ${path}\n`).join('');
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const integrity = new Map([...digests].flatMap(([path, d]) => (d.integrity ? [[path, d.integrity]] : [])));
  return { dir, indexHtml: withIntegrity(html, integrity), sha256: sha256Hex(lines), files: paths.length };
}

const isSubresource = (path: string) => /\.(?:m?js|css)$/.test(path);

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Adds `integrity` to each `<script src>` and `<link href>` of a script or stylesheet that the
 * build holds, so a browser refuses a file changed on the way (a cache, a proxy) or on disk
 * after start. Module scripts and preloads are already CORS requests (`crossorigin`).
 */
export function withIntegrity(html: string, integrity: ReadonlyMap<string, string>): string {
  return html.replace(/<(?:script|link)\b[^>]*>/g, (tag) => {
    const path = /\s(?:src|href)="\/([^"?#]+)"/.exec(tag)?.[1];
    const value = path ? integrity.get(`./${path}`) : undefined;
    if (!value || /\sintegrity=/.test(tag)) return tag;
    const crossorigin = /\scrossorigin\b/.test(tag) ? '' : ' crossorigin';
    const [, opening = tag, closing = '>'] = /^(.*?)\s*(\/?>)$/s.exec(tag) ?? [];
    return `${opening} integrity="${value}"${crossorigin}${closing === '/>' ? ' />' : '>'}`;
  });
}

/** Serves the built single-page app; unknown non-API paths get index.html so client routes work. */
export async function registerWebApp(app: TypedApp, build: WebBuild | undefined): Promise<void> {
  if (!build) return;
  // serve: false: the plugin only provides reply.sendFile. The routes it would create for each file
  // carry no access config, so the access guard would demand a session for /assets/*.
  await app.register(fastifyStatic, { root: build.dir, serve: false, index: false, cacheControl: false });
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/api/')) return reply.callNotFound();
    if (path.startsWith('/assets/')) {
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.slice(1));
    }
    const file = path.slice(1);
    const isOtherFile = file !== 'index.html' && file && !file.includes('..') && !file.endsWith('/');
    if (isOtherFile && existsSync(join(build.dir, file))) {
      return reply.header('cache-control', 'no-cache').sendFile(file);
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(build.indexHtml);
  });
}
