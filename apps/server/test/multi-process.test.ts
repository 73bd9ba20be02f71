import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listMigrations } from '../src/db/migrate.ts';
import { openTestDatabase, type TestDatabase } from './database.ts';
import { TEST_SECRET } from './harness.ts';

const ZEGEL_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/zegel.js');

/** Starts a real `zegel serve` process on a free port and resolves with its URL. */
function startProcess(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [ZEGEL_BIN, 'serve', '--port', '0'], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      ZEGEL_SECRET: TEST_SECRET,
      ZEGEL_EMBEDDED: 'true',
      ZEGEL_SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((done, fail) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /Zegel is running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) done({ url: match[1].replace('//localhost:', '//127.0.0.1:'), child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c) => (output += c));
    child.on('exit', (code) => fail(new Error(`zegel serve exited with ${code}: ${output}`)));
  });
}

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zegel-csrf': '1' },
    body: JSON.stringify(body),
  });

describe.runIf(inject('postgres'))('two server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let servers: { url: string; child: ChildProcess }[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    // An empty database, so the two processes race to migrate it.
    await sql`DROP SCHEMA public CASCADE; CREATE SCHEMA public`.execute(database.db);
    servers = await Promise.all([startProcess(database.url!), startProcess(database.url!)]);
  });
  afterAll(async () => {
    for (const { child } of servers) child.kill('SIGTERM');
    await Promise.all(
      servers.map(
        ({ child }) => new Promise((done) => (child.exitCode !== null ? done(null) : child.on('exit', done))),
      ),
    );
    await database.close();
  });

  it('migrate once and both serve', async () => {
    const applied = await database.db.selectFrom('zegel_migrations').select('name').execute();
    expect(applied.map((r) => r.name)).toEqual(listMigrations().map((m) => m.name));
    for (const { url } of servers) {
      const health = await (await fetch(`${url}/api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', database: 'postgres' });
    }
  });

  it('share the brute-force counters: a delay reached through one holds on the other', async () => {
    const [a, b] = servers as unknown as [{ url: string }, { url: string }];
    const attempt = (url: string) =>
      post(`${url}/api/auth/sign-in`, { email: 'victim@example.nl', loginSecret: 'x'.repeat(43) });
    // Five free attempts, and the sixth starts a delay (issue 13, item 2).
    for (let i = 0; i < 6; i++) expect((await attempt(a.url)).status).toBe(401);
    const onOther = await attempt(b.url);
    expect(onOther.status).toBe(429);
    expect((await onOther.json()).error.code).toBe('sign_in_delayed');
  });
});
