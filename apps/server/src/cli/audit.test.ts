import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { testConfig } from '../../test/harness.ts';
import { runZegel as run } from '../../test/installation.ts';
import { sha256Hex } from '../adapters/tokens.ts';
import { createDeps } from '../boot.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createOrganisation } from '../features/accounts/organisations.ts';
import { chainMessage, computeAuditHash } from '../platform/audit/chain.ts';

const dirs: string[] = [];
const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory with `count` audit events, written by the real server code. */
async function installationWithEvents(count: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'zegel-audit-'));
  dirs.push(dataDir);
  // The embedded secret the CLI will find, so both sides derive the same chain key.
  writeFileSync(join(dataDir, 'secret'), `${crypto.randomUUID()}${crypto.randomUUID()}\n`);
  const database = await openDatabase({ dataDir });
  await migrate(database);
  await database.close();
  await addEvents(dataDir, count);
  return dataDir;
}

async function addEvents(dataDir: string, count: number) {
  const database = await openDatabase({ dataDir });
  const secret = readFileSync(join(dataDir, 'secret'), 'utf8').trim();
  const deps = createDeps(testConfig({ dataDir, secret }), database);
  for (let i = 0; i < count; i++)
    await createOrganisation(deps, { name: `Gemeente ${crypto.randomUUID().slice(0, 8)}`, mailDomains: [] });
  await database.close();
}

type Row = { seq: number; id: string; prev_hash: string; hash: string; details: unknown } & Record<
  string,
  unknown
>;

/**
 * What an operator with database access alone can do: switch the trigger off, change a row and
 * recompute every later hash the way the code in the repository does (without the server secret).
 */
async function tamper(
  dataDir: string,
  work: (db: Awaited<ReturnType<typeof openDatabase>>['db'], rows: Row[]) => Promise<void>,
) {
  const database = await openDatabase({ dataDir });
  await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`.execute(database.db);
  const rows = (await sql<Row>`SELECT * FROM audit_events ORDER BY seq`.execute(database.db)).rows;
  await work(database.db, rows);
  await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`.execute(database.db);
  await database.close();
}

async function rewriteAndRehash(
  db: Awaited<ReturnType<typeof openDatabase>>['db'],
  rows: Row[],
  fromIndex: number,
  version: 1 | 2,
) {
  let prev = fromIndex === 0 ? '0'.repeat(64) : rows[fromIndex - 1]!.hash;
  for (const row of rows.slice(fromIndex)) {
    if (row === rows[fromIndex]) row.actor_name = 'Iemand anders';
    const fields = { ...row, occurred_at: new Date(row.occurred_at as Date) } as never;
    // Version 1 is the published SHA-256 chain; for version 2 the attacker has no key and guesses.
    const hash =
      version === 1 ? computeAuditHash(prev, fields) : sha256Hex(`key?${chainMessage(prev, fields)}`);
    await sql`UPDATE audit_events SET actor_name = ${row.actor_name as string | null}, prev_hash = ${prev},
      hash = ${hash}, chain_version = ${version} WHERE seq = ${row.seq}`.execute(db);
    prev = hash;
  }
}

/**
 * One installation, made once: events #1-4, a checkpoint of #4 exported to a file (its own
 * event is #5), then events #6-7. Each test tampers with a copy.
 */
let base: string;
let checkpointFile: string;
let checkpoint: { seq: number; createdAt: string };
beforeAll(async () => {
  if (inject('postgres')) return;
  base = await installationWithEvents(4);
  checkpointFile = join(base, '..', `${base.split('/').at(-1)}-checkpoint.json`);
  dirs.push(checkpointFile);
  const exported = await run(['audit', 'checkpoint', '--out', checkpointFile, '--data-dir', base]);
  expect(exported.code).toBe(0);
  checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8'));
  expect(checkpoint).toMatchObject({ format: 'zegel-audit-checkpoint/v1', seq: 4 });
  await addEvents(base, 2);
}, 60_000);
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyOfBase(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'zegel-audit-'));
  copies.push(dataDir);
  cpSync(base, dataDir, { recursive: true });
  return dataDir;
}

// Embedded data directories only: the same under `npm run test:pg`, so run once.
describe.skipIf(inject('postgres'))('zegel audit verify', () => {
  it('says the chain is intact, then names the row that was changed', async () => {
    const dataDir = copyOfBase();
    const intact = await run(['audit', 'verify', '--data-dir', dataDir]);
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringContaining('intact: 7 events checked') });
    expect(intact.stdout).toContain(
      `1 checkpoint matched, the newest the checkpoint of ${checkpoint.createdAt}`,
    );

    let changed!: Row;
    await tamper(dataDir, async (db, rows) => {
      changed = rows[5]!;
      await sql`UPDATE audit_events SET details = '{"forged":true}' WHERE id = ${changed.id}`.execute(db);
    });
    const broken = await run(['audit', 'verify', '--data-dir', dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`event #${changed.seq} (id ${changed.id})`);
    expect(broken.stdout).toContain(`It held up to the checkpoint of ${checkpoint.createdAt} (event #4)`);
  });

  it.each([
    [1, 'unkeyed row after the switch'],
    [2, 'do not match its keyed hash'],
  ] as const)(
    'names the first row rewritten and rehashed (as version %i) with database access alone',
    async (version, reason) => {
      const dataDir = copyOfBase();
      let victim!: Row;
      await tamper(dataDir, async (db, rows) => {
        victim = rows[2]!;
        await rewriteAndRehash(db, rows, 2, version);
      });
      const result = await run(['audit', 'verify', '--data-dir', dataDir]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`broken at event #${victim.seq} (id ${victim.id})`);
      expect(result.stdout).toContain(reason);
    },
  );

  it('catches a whole chain rewritten as unkeyed rows through the checkpoint, and says which', async () => {
    const dataDir = copyOfBase();
    await tamper(dataDir, (db, rows) => rewriteAndRehash(db, rows, 0, 1));
    const result = await run(['audit', 'verify', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('broken at event #4');
    expect(result.stdout).toContain(`differs from the checkpoint of ${checkpoint.createdAt}`);
  });

  it('reports a deleted tail since the checkpoint, from the blob store and from an exported file', async () => {
    const dataDir = copyOfBase();
    await tamper(dataDir, (db) => sql`DELETE FROM audit_events WHERE seq > 2`.execute(db).then(() => {}));
    const deleted = `the chain ends at event #2, but the checkpoint of ${checkpoint.createdAt} names event #4: events after #2 were deleted`;
    const fromStore = await run(['audit', 'verify', '--data-dir', dataDir]);
    expect(fromStore).toMatchObject({ code: 1, stdout: expect.stringContaining(deleted) });
    // A checkpoint cannot be signed over the shortened chain.
    const refused = await run(['audit', 'checkpoint', '--data-dir', dataDir]);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('Refused to sign') });
    // With the blob store's checkpoints gone too, the exported file still shows it.
    rmSync(join(dataDir, 'blobs', 'audit-checkpoints'), { recursive: true });
    const fromFile = await run(['audit', 'verify', '--checkpoint', checkpointFile, '--data-dir', dataDir]);
    expect(fromFile).toMatchObject({ code: 1, stdout: expect.stringContaining(deleted) });
  });

  it("refuses a checkpoint file whose signature is not the server's, and a file that is no checkpoint", async () => {
    const dataDir = copyOfBase();
    const forged = join(dataDir, 'forged.json');
    writeFileSync(forged, JSON.stringify({ ...checkpoint, seq: 2 }));
    const result = await run(['audit', 'verify', '--checkpoint', forged, '--data-dir', dataDir]);
    expect(result).toMatchObject({
      code: 1,
      stdout: expect.stringContaining("does not carry this server's signature"),
    });
    writeFileSync(forged, '{"not":"a checkpoint"}');
    const bad = await run(['audit', 'verify', '--checkpoint', forged, '--data-dir', dataDir]);
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is not a Zegel audit checkpoint'),
    });
  });

  it('explains wrong usage with exit code 2', async () => {
    const result = await run(['audit', 'check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected: zegel audit verify');
  });
});
