import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { listMigrations, migrate } from './migrate.ts';

/** Upgrades of databases that hold data: the migrations that move data, checked on real rows. */
describe('0060: the conversation core', () => {
  it('moves guest verification to guest_credentials and the contact team to kind and owner', async () => {
    const database = await openDatabase({});
    try {
      await sql`CREATE TABLE zegel_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
        database.db,
      );
      for (const m of listMigrations().filter((m) => m.name < '0060'))
        await database.applyMigration(m.name, m.script);
      const ids = { org: crypto.randomUUID(), user: crypto.randomUUID(), team: crypto.randomUUID() };
      const sent = {
        conversation: crypto.randomUUID(),
        guest: crypto.randomUUID(),
        staff: crypto.randomUUID(),
      };
      const started = {
        conversation: crypto.randomUUID(),
        guest: crypto.randomUUID(),
        team: crypto.randomUUID(),
      };
      await sql`INSERT INTO organisations (id, name, slug) VALUES (${ids.org}, 'Gemeente', 'gemeente')`.execute(
        database.db,
      );
      await sql`INSERT INTO users (id, organisation_id, email, name, role, kdf_salt, kdf_params, login_hash)
        VALUES (${ids.user}, ${ids.org}, 'a@gemeente.nl', 'A', 'member', '\\x00', '{}', 'h')`.execute(
        database.db,
      );
      await sql`INSERT INTO teams (id, organisation_id, name) VALUES (${ids.team}, ${ids.org}, 'Wmo')`.execute(
        database.db,
      );
      await sql`INSERT INTO conversations (id, organisation_id, sender_user_id, created_at, last_activity_at, expires_at)
        VALUES (${sent.conversation}, ${ids.org}, ${ids.user}, now(), now(), now() + interval '30 days')`.execute(
        database.db,
      );
      await sql`INSERT INTO conversations (id, organisation_id, sender_user_id, contact_team_id, created_at, last_activity_at, expires_at)
        VALUES (${started.conversation}, ${ids.org}, NULL, ${ids.team}, now(), now(), now() + interval '30 days')`.execute(
        database.db,
      );
      await sql`INSERT INTO participants (id, conversation_id, kind, role, user_id) VALUES (${sent.staff}, ${sent.conversation}, 'user', 'sender', ${ids.user})`.execute(
        database.db,
      );
      await sql`INSERT INTO participants (id, conversation_id, kind, role, address, method, phone, server_share, wrong_codes, sms_code_hash, locked_at, verified_at, access_code_hint)
        VALUES (${sent.guest}, ${sent.conversation}, 'guest', 'to', 'p@example.nl', 'sms', '+31612345678', '\\x0102', 3, 'hash', now(), now(), 'hint')`.execute(
        database.db,
      );
      await sql`INSERT INTO participants (id, conversation_id, kind, role, address, method, server_share, verified_at)
        VALUES (${started.guest}, ${started.conversation}, 'guest', 'sender', 'q@example.nl', 'email_only', '\\x03', now())`.execute(
        database.db,
      );
      await sql`INSERT INTO participants (id, conversation_id, kind, role, team_id) VALUES (${started.team}, ${started.conversation}, 'team', 'to', ${ids.team})`.execute(
        database.db,
      );

      expect((await migrate(database)).applied[0]).toBe('0060_conversation_core');

      const conversations = await database.db
        .selectFrom('conversations')
        .select(['id', 'kind', 'owner_id'])
        .execute();
      expect(conversations).toEqual(
        expect.arrayContaining([
          { id: sent.conversation, kind: 'message', owner_id: null },
          { id: started.conversation, kind: 'contact', owner_id: ids.team },
        ]),
      );
      const credentials = await database.db
        .selectFrom('guest_credentials')
        .selectAll()
        .orderBy('participant_id')
        .execute();
      expect(credentials).toHaveLength(2);
      const smsGuest = credentials.find((c) => c.participant_id === sent.guest);
      expect(smsGuest).toMatchObject({
        method: 'sms',
        phone: '+31612345678',
        // 0062 turns the old permanent lock into one that ended a minute after it began.
        wrong_codes: 0,
        lock_count: 1,
        link_proof_hash: null,
        sms_code_hash: 'hash',
        access_code_hint: 'hint',
      });
      expect(smsGuest?.locked_at).toBeInstanceOf(Date);
      expect(smsGuest?.locked_until?.getTime()).toBe((smsGuest?.locked_at?.getTime() ?? 0) + 60_000);
      expect(Array.from(smsGuest?.server_share ?? [])).toEqual([1, 2]);
      expect(credentials.find((c) => c.participant_id === started.guest)).toMatchObject({
        method: 'email_only',
      });
      const columns = await sql<{
        column_name: string;
      }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'participants'`.execute(
        database.db,
      );
      expect(columns.rows.map((r) => r.column_name)).not.toContain('server_share');
    } finally {
      await database.close();
    }
  });
});
