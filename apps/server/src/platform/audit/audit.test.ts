import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import {
  createMember,
  createOrganisationWithAdmin,
  signInWithPassword,
  type TestUser,
} from '../../../test/factories.ts';
import { Browser, createTestApp, TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { createMemoryBlobStore } from '../../adapters/blob-store.ts';
import { scheduleAuditCheckpoints } from '../../boot.ts';
import { computeAuditHash, GENESIS_HASH } from './chain.ts';
import { toCsv } from './present.ts';
import { AuditAction, createAuditTrail } from './service.ts';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  ({ admin } = await createOrganisationWithAdmin(t));
});
afterAll(async () => {
  await t.close();
});

const events = async (query = '') =>
  (await admin.browser.get(`/api/admin/audit?limit=500${query}`)).json().events as Record<string, unknown>[];

describe('the audit trail', () => {
  it('records sign-in, second factor, invitations and role changes with NEN 7513 fields', async () => {
    const member = await createMember(t, admin);
    await admin.browser.patch(`/api/admin/users/${member.id}`, { role: 'admin' });
    const all = await events();
    const actions = all.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'invitation.created',
        'invitation.accepted',
        'auth.totp_enrolled',
        'user.role_changed',
      ]),
    );
    const roleChange = all.find((e) => e.action === 'user.role_changed')!;
    expect(roleChange).toMatchObject({
      outcome: 'success',
      actorUserId: admin.id,
      actorRole: 'admin',
      accessIp: '198.51.100.7',
      accessUserAgent: expect.stringContaining('Chrome'),
      objectType: 'user',
      objectId: member.id,
      source: 'zegel-server',
      details: { from: 'member', to: 'admin' },
    });
    expect(roleChange.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(String(roleChange.occurredAt))).not.toBeNaN();
  });

  it('records a failed sign-in and a wrong second factor as failures', async () => {
    const browser = new Browser(t.app);
    await browser.post('/api/auth/sign-in', { email: admin.email, loginSecret: 'w'.repeat(43) });
    await signInWithPassword(admin, browser);
    await browser.post('/api/auth/second-factor', { code: '123456', trustDevice: false });
    const failures = (await events()).filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => e.action)).toEqual(
      expect.arrayContaining(['auth.sign_in', 'auth.second_factor']),
    );
  });

  it('records every read of the trail itself', async () => {
    await events();
    const reads = (await events()).filter((e) => e.action === 'audit.read');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads[0]).toMatchObject({ actorUserId: admin.id, objectType: 'audit_trail' });
  });

  it('filters by period, user and action', async () => {
    const byUser = await events(`&userId=${admin.id}`);
    expect(byUser.every((e) => e.actorUserId === admin.id)).toBe(true);
    const future = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    expect(await events(`&from=${encodeURIComponent(future)}`)).toEqual([]);
    const onlyReads = await events('&action=audit.read');
    expect(onlyReads.length).toBeGreaterThan(0);
    expect(onlyReads.every((e) => e.action === 'audit.read')).toBe(true);
  });

  it('pages newest first', async () => {
    const first = (await admin.browser.get('/api/admin/audit?limit=2')).json();
    expect(first.events).toHaveLength(2);
    const second = (await admin.browser.get(`/api/admin/audit?limit=2&before=${first.nextBefore}`)).json();
    expect(second.events[0].seq).toBeLessThan(first.events[1].seq);
  });

  it('exports CSV and JSON and records the export', async () => {
    const csv = await admin.browser.get('/api/admin/audit/export?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="zegel-audit-.*\.csv"/);
    expect(csv.body.split('\r\n')[0]).toBe(
      'seq,id,occurredAt,action,outcome,actorUserId,actorName,onBehalfOf,actorRole,accessIp,accessUserAgent,subjectPerson,objectType,objectId,source,details',
    );
    const json = (await admin.browser.get('/api/admin/audit/export?format=json')).json();
    expect(Array.isArray(json)).toBe(true);
    expect((await events('&action=audit.exported')).length).toBe(2);
  });

  it('rejects a bad filter with a clear error', async () => {
    const response = await admin.browser.get('/api/admin/audit?from=yesterday');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('neutralises spreadsheet formulas in CSV cells', () => {
    const csv = toCsv([
      {
        seq: 1,
        id: 'x',
        occurredAt: 't',
        action: '=HYPERLINK("x")',
        outcome: 'success',
        actorUserId: null,
        actorName: '+1, "a"',
        onBehalfOf: null,
        actorRole: null,
        accessIp: null,
        accessUserAgent: null,
        subjectPerson: null,
        objectType: null,
        objectId: null,
        source: 's',
        details: {},
      },
    ]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(`"'+1, ""a"""`);
  });
});

describe('the hash chain', () => {
  it('refuses updates and deletes', async () => {
    await expect(sql`UPDATE audit_events SET action = 'x'`.execute(t.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(t.deps.db)).rejects.toThrow(/append-only/);
  });

  it('names the row a database administrator changed behind the trigger', async () => {
    expect(await t.deps.audit.verify()).toMatchObject({ ok: true });
    const victim = (await events()).at(-3)!;
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`.execute(t.deps.db);
    await sql`UPDATE audit_events SET actor_name = 'Someone else' WHERE id = ${victim.id}`.execute(t.deps.db);
    await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`.execute(t.deps.db);
    const result = await t.deps.audit.verify();
    expect(result).toMatchObject({ ok: false, brokenSeq: victim.seq, brokenId: victim.id });
  });
});

describe('checkpoints', () => {
  it('signs the head after every N events and stores it outside the database, each naming the one before', async () => {
    const database = await openTestDatabase();
    const blobs = createMemoryBlobStore();
    const trail = createAuditTrail(database.db, t.clock, { secret: TEST_SECRET, blobs, checkpointEvery: 3 });
    // Events #1-3, checkpoint of #3 (its event #4), #5-6, checkpoint of #6 (#7), #8.
    for (let i = 0; i < 6; i++) await trail.record(ping);
    const latest = JSON.parse(new TextDecoder().decode(blobs.blobs.get('audit-checkpoints/latest')!));
    expect(latest).toMatchObject({ seq: 6, previousSeq: 3 });
    expect(blobs.blobs.has('audit-checkpoints/000000000003')).toBe(true);
    const logged = await sql<{ seq: number; details: { seq: number } }>`SELECT seq, details FROM audit_events
      WHERE action = 'audit.checkpoint' ORDER BY seq`.execute(database.db);
    expect(logged.rows.map((r) => [Number(r.seq), r.details.seq])).toEqual([
      [4, 3],
      [7, 6],
    ]);
    expect(await trail.verify()).toMatchObject({
      ok: true,
      rows: 8,
      checkpoints: 2,
      lastCheckpoint: { seq: 6 },
    });
    await database.close();
  }, 120_000);
  it('chains several events of one action under one lock, and signs the head when they pass N', async () => {
    const database = await openTestDatabase();
    const blobs = createMemoryBlobStore();
    const trail = createAuditTrail(database.db, t.clock, { secret: TEST_SECRET, blobs, checkpointEvery: 3 });
    await trail.recordMany([ping, ping]);
    expect(blobs.blobs.has('audit-checkpoints/latest')).toBe(false);
    // #3-5 pass the third event: the head (#5) is signed, its own event is #6.
    await trail.recordMany([ping, ping, ping]);
    const latest = JSON.parse(new TextDecoder().decode(blobs.blobs.get('audit-checkpoints/latest')!));
    expect(latest).toMatchObject({ seq: 5 });
    expect(await trail.verify()).toMatchObject({ ok: true, rows: 6, checkpoints: 1 });
    await database.close();
  }, 120_000);
});

describe('the hourly checkpoint job', () => {
  it('checkpoints the head every hour, but not when only its own event came since', async () => {
    await scheduleAuditCheckpoints(t.deps);
    await t.deps.jobs.runDueJobs();
    const latest = () => JSON.parse(new TextDecoder().decode(t.blobs.blobs.get('audit-checkpoints/latest')!));
    const first = latest();
    t.clock.advance(3600_000);
    await t.deps.jobs.runDueJobs();
    expect(latest()).toEqual(first);
    await t.deps.audit.record(ping);
    t.clock.advance(3600_000);
    await t.deps.jobs.runDueJobs();
    expect(latest()).toMatchObject({ seq: first.seq + 2, previousSeq: first.seq });
  });
});

describe('the switch to the keyed chain', () => {
  it('keeps verifying rows written before migration 0065, then keyed rows after them', async () => {
    const database = await openTestDatabase();
    let prev = GENESIS_HASH;
    for (const id of [crypto.randomUUID(), crypto.randomUUID()]) {
      const fields = {
        id,
        organisation_id: null,
        occurred_at: new Date('2026-01-01T00:00:00.000Z'),
        action: 'audit.read',
        outcome: 'success' as const,
        actor_user_id: null,
        actor_name: null,
        on_behalf_of: null,
        actor_role: null,
        access_ip: null,
        access_user_agent: null,
        subject_person: null,
        object_type: null,
        object_id: null,
        source: 'zegel-server',
        details: {},
      };
      const hash = computeAuditHash(prev, fields);
      await database.db
        .insertInto('audit_events')
        .values({ ...fields, details: '{}', prev_hash: prev, hash, chain_version: 1 })
        .execute();
      prev = hash;
    }
    const trail = createAuditTrail(database.db, t.clock, {
      secret: TEST_SECRET,
      blobs: createMemoryBlobStore(),
    });
    await trail.record(ping);
    expect(await trail.verify()).toMatchObject({ ok: true, rows: 3, legacyRows: 2 });
    await database.close();
  }, 120_000);
});

const ping = { action: AuditAction.auditRead, outcome: 'success', organisationId: null } as const;
