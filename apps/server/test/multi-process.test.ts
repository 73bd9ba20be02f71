import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listMigrations } from '../src/db/migrate.ts';
import { openTestDatabase, type TestDatabase } from './database.ts';
import { startZegelProcess, type ZegelProcess } from './zegel-process.ts';

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zegel-csrf': '1' },
    body: JSON.stringify(body),
  });

describe.runIf(inject('postgres'))('two server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let servers: ZegelProcess[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
    // An empty database, so the two processes race to migrate it.
    await sql`DROP SCHEMA public CASCADE; CREATE SCHEMA public`.execute(database.db);
    servers = await Promise.all([startZegelProcess(database.url!), startZegelProcess(database.url!)]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
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
