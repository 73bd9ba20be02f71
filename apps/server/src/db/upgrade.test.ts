import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../test/global-setup.ts';
import { TEST_SECRET } from '../../test/harness.ts';
import { runZegel } from '../../test/installation.ts';
import { createMemoryBlobStore } from '../adapters/blob-store.ts';
import { systemClock } from '../adapters/clock.ts';
import { computeAuditHash, GENESIS_HASH } from '../platform/audit/chain.ts';
import { createAuditTrail } from '../platform/audit/index.ts';
import { type Database, openDatabase } from './database.ts';
import { listMigrations, migrate, NewerSchemaError } from './migrate.ts';

/**
 * Upgrades from the oldest supported schema (fixtures/schema-0002.sql): the database as that
 * version left it is filled the way that version wrote rows, migrated to now, and checked. Runs
 * on PGlite, and on an empty PostgreSQL database under `npm run test:pg`.
 */

const fixture = readFileSync(new URL('./fixtures/schema-0002.sql', import.meta.url), 'utf8');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An empty database (not the migrated test template) on the engine the suite runs on. */
async function openEmptyDatabase(): Promise<Database> {
  const postgres = inject('postgres');
  if (!postgres) {
    const database = await openDatabase({});
    cleanups.push(() => database.close());
    return database;
  }
  const name = `zegel_test_${process.pid}_upgrade_${crypto.randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const database = await openDatabase({ databaseUrl: withDatabase(postgres.adminUrl, name) });
  cleanups.push(async () => {
    await database.close();
    const dropper = new pg.Client({ connectionString: postgres.adminUrl });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
  });
  return database;
}

/** Rows as the first server with messages wrote them: an organisation, a sent message to an SMS guest, an audit event. */
async function fillOldSchema(database: Database) {
  const ids = {
    org: crypto.randomUUID(),
    user: crypto.randomUUID(),
    conversation: crypto.randomUUID(),
    staff: crypto.randomUUID(),
    guest: crypto.randomUUID(),
    item: crypto.randomUUID(),
    event: crypto.randomUUID(),
  };
  const db = database.db;
  await sql`INSERT INTO organisations (id, name, slug, mail_domains) VALUES (${ids.org}, 'Gemeente Oud', 'gemeente-oud', '{oud.nl}')`.execute(
    db,
  );
  await sql`INSERT INTO users (id, organisation_id, email, name, role, kdf_salt, kdf_params, login_hash, public_key)
    VALUES (${ids.user}, ${ids.org}, 'anna@oud.nl', 'Anna', 'admin', '\\x0a0b', '{"m":19456}', 'scrypt$h', 'pk')`.execute(
    db,
  );
  await sql`INSERT INTO conversations (id, organisation_id, sender_user_id, created_at, last_activity_at, expires_at)
    VALUES (${ids.conversation}, ${ids.org}, ${ids.user}, now(), now(), now() + interval '30 days')`.execute(
    db,
  );
  await sql`INSERT INTO participants (id, conversation_id, kind, role, user_id)
    VALUES (${ids.staff}, ${ids.conversation}, 'user', 'sender', ${ids.user})`.execute(db);
  await sql`INSERT INTO participants (id, conversation_id, kind, role, address, method, phone, public_key, server_share, sent_at)
    VALUES (${ids.guest}, ${ids.conversation}, 'guest', 'to', 'gast@example.nl', 'sms', '+31612345678', 'gpk', '\\x0102', now())`.execute(
    db,
  );
  await sql`INSERT INTO items (id, conversation_id, author_kind, author_user_id, created_at, ciphertext)
    VALUES (${ids.item}, ${ids.conversation}, 'user', ${ids.user}, now(), '\\xc0ffee')`.execute(db);
  const event = {
    id: ids.event,
    organisation_id: ids.org,
    occurred_at: new Date('2026-11-23T12:00:00.000Z'),
    action: 'message.sent',
    outcome: 'success' as const,
    actor_user_id: ids.user,
    actor_name: 'Anna',
    on_behalf_of: null,
    actor_role: 'admin',
    access_ip: '192.0.2.1',
    access_user_agent: null,
    subject_person: null,
    object_type: 'conversation',
    object_id: ids.conversation,
    source: 'zegel-server',
    details: { recipients: 1 },
  };
  await sql`INSERT INTO audit_events (id, organisation_id, occurred_at, action, outcome, actor_user_id, actor_name,
    actor_role, access_ip, object_type, object_id, source, details, prev_hash, hash)
    VALUES (${event.id}, ${event.organisation_id}, ${event.occurred_at}, ${event.action}, 'success', ${ids.user}, 'Anna',
    'admin', '192.0.2.1', 'conversation', ${ids.conversation}, 'zegel-server', '{"recipients":1}', ${GENESIS_HASH},
    ${computeAuditHash(GENESIS_HASH, event)})`.execute(db);
  return ids;
}

describe('upgrading from the oldest supported schema', () => {
  it('migrates a filled 0002 database to now and keeps its data', async () => {
    const database = await openEmptyDatabase();
    await database.runScript(fixture);
    const ids = await fillOldSchema(database);

    const { applied } = await migrate(database);
    expect(applied).toEqual(
      listMigrations()
        .map((m) => m.name)
        .filter((name) => name > '0002_messages'),
    );

    const db = database.db;
    expect(
      await db.selectFrom('users').select(['email', 'role']).where('id', '=', ids.user).executeTakeFirst(),
    ).toEqual({
      email: 'anna@oud.nl',
      role: 'admin',
    });
    expect(
      await db
        .selectFrom('conversations')
        .select(['kind', 'owner_id'])
        .where('id', '=', ids.conversation)
        .executeTakeFirst(),
    ).toEqual({ kind: 'message', owner_id: null });
    const credential = await db
      .selectFrom('guest_credentials')
      .selectAll()
      .where('participant_id', '=', ids.guest)
      .executeTakeFirstOrThrow();
    expect(credential).toMatchObject({ method: 'sms', phone: '+31612345678', wrong_codes: 0 });
    expect(Array.from(credential.server_share ?? [])).toEqual([1, 2]);
    const item = await db
      .selectFrom('items')
      .select('ciphertext')
      .where('id', '=', ids.item)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(item.ciphertext).toString('hex')).toBe('c0ffee');

    // The audit row from before the keyed chain still verifies, and new rows are keyed.
    const trail = createAuditTrail(db, systemClock, { secret: TEST_SECRET, blobs: createMemoryBlobStore() });
    await trail.record({ action: 'audit.read', outcome: 'success', organisationId: ids.org });
    expect(await trail.verify()).toMatchObject({ ok: true, rows: 2, legacyRows: 1 });
    await expect(sql`DELETE FROM audit_events`.execute(db)).rejects.toThrow(/append-only/);
  }, 120_000);

  it('refuses a database migrated by a newer version, applying nothing', async () => {
    const database = await openEmptyDatabase();
    await database.runScript(fixture);
    await sql`INSERT INTO zegel_migrations (name) VALUES ('9990_from_a_newer_zegel')`.execute(database.db);
    await expect(migrate(database)).rejects.toThrow(NewerSchemaError);
    await expect(migrate(database)).rejects.toThrow(
      'the database was migrated by a newer Zegel (migrations this version does not know: 9990_from_a_newer_zegel)',
    );
    const names = await database.db.selectFrom('zegel_migrations').select('name').execute();
    expect(names).toHaveLength(3);
  }, 120_000);

  // An embedded data directory: the same under `npm run test:pg`, so run once.
  it.skipIf(inject('postgres'))(
    'makes zegel serve and zegel migrate refuse to start against it, saying why',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'zegel-newer-'));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const database = await openDatabase({ dataDir });
      await migrate(database);
      await sql`INSERT INTO zegel_migrations (name) VALUES ('9990_from_a_newer_zegel')`.execute(database.db);
      await database.close();
      for (const command of [['serve', '--embedded', '--port', '0'], ['migrate']]) {
        const result = await runZegel([...command, '--data-dir', dataDir]);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`zegel ${command[0]}: the database was migrated by a newer Zegel`);
      }
    },
    120_000,
  );
});
