import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/harness.ts';
import { createDeps } from '../boot.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createOrganisation } from '../features/accounts/organisations.ts';
import { runCli } from './main.ts';

async function run(args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await runCli(args, { out, err, in: new PassThrough() });
  return { code, stdout, stderr };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('zegel audit verify', () => {
  it('says the chain is intact, then names the row that was changed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zegel-audit-'));
    dirs.push(dataDir);
    const database = await openDatabase({ dataDir });
    await migrate(database);
    const deps = createDeps(testConfig({ dataDir }), database);
    for (const name of ['Een', 'Twee', 'Drie'])
      await createOrganisation(deps, { name: `Gemeente ${name}`, mailDomains: [] });
    const middle = await deps.db
      .selectFrom('audit_events')
      .select(['seq', 'id'])
      .orderBy('seq')
      .offset(1)
      .limit(1)
      .executeTakeFirstOrThrow();
    await database.close();

    const intact = await run(['audit', 'verify', '--data-dir', dataDir]);
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringContaining('intact: 3 events') });

    const again = await openDatabase({ dataDir });
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`.execute(again.db);
    await sql`UPDATE audit_events SET details = '{"forged":true}' WHERE id = ${middle.id}`.execute(again.db);
    await again.close();

    const broken = await run(['audit', 'verify', '--data-dir', dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`event #${middle.seq} (id ${middle.id})`);
  });

  it('explains wrong usage with exit code 2', async () => {
    const result = await run(['audit', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected: zegel audit verify');
  });
});
