import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { AccessCodeParams, DB, GuestCredentialsTable } from '../../db/schema.ts';

/** SQL of guest-access: credentials, sessions, remembered browsers, the recipient directory. */
type Db = Kysely<DB> | Transaction<DB>;

export type CredentialsInsert = Omit<Updateable<GuestCredentialsTable>, 'access_code_params'> &
  Pick<GuestCredentialsTable, 'participant_id' | 'method'> & { access_code_params?: AccessCodeParams | null };

export async function insertCredentials(db: Db, rows: CredentialsInsert[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('guest_credentials')
    .values(rows.map((r) => ({ ...r, access_code_params: JSON.stringify(r.access_code_params ?? null) })))
    .execute();
}

export function selectCredentials(db: Db, participantIds: readonly string[]) {
  if (participantIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('guest_credentials')
    .selectAll()
    .where('participant_id', 'in', participantIds)
    .execute();
}

export type CredentialsRow = Awaited<ReturnType<typeof selectCredentials>>[number];

export async function updateCredentials(
  db: Db,
  participantId: string,
  changes: Omit<Updateable<GuestCredentialsTable>, 'participant_id' | 'access_code_params'>,
) {
  await db
    .updateTable('guest_credentials')
    .set(changes)
    .where('participant_id', '=', participantId)
    .execute();
}

/**
 * Counts one attempt before its code is checked, atomically and only while fewer than `max`
 * are counted and the guest is not locked: the count after it, or undefined when no attempt is
 * left. A correct code sets the count back to 0, so what stays counted are wrong codes.
 */
export async function reserveAttempt(
  db: Db,
  participantId: string,
  max: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable('guest_credentials')
    .set({ wrong_codes: sql<number>`wrong_codes + 1` })
    .where('participant_id', '=', participantId)
    .where('wrong_codes', '<', max)
    .where('locked_at', 'is', null)
    .returning('wrong_codes')
    .executeTakeFirst();
  return row?.wrong_codes;
}

/** Locks a guest once: returns true only for the call that set the lock. */
export async function lockCredentials(db: Db, participantId: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('guest_credentials')
    .set({ locked_at: now, sms_code_hash: null })
    .where('participant_id', '=', participantId)
    .where('locked_at', 'is', null)
    .returning('participant_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Consumes an SMS code once: returns true only if it matched and was still unused and valid. */
export async function consumeSmsCode(db: Db, participantId: string, codeHash: string, now: Date) {
  const row = await db
    .updateTable('guest_credentials')
    .set({ sms_code_hash: null, sms_code_expires_at: null })
    .where('participant_id', '=', participantId)
    .where('sms_code_hash', '=', codeHash)
    .where('sms_code_expires_at', '>', now)
    .returning('participant_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Crypto-shreds guests: their server share and any SMS code go; returns whose share was there. */
export async function shredCredentials(db: Db, participantIds: readonly string[]) {
  if (participantIds.length === 0) return [];
  const rows = await db
    .updateTable('guest_credentials')
    .set({ server_share: null, sms_code_hash: null })
    .where('participant_id', 'in', participantIds)
    .where('server_share', 'is not', null)
    .returning('participant_id')
    .execute();
  return rows.map((r) => r.participant_id);
}

type TokenRow = {
  id: string;
  participant_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
};

export async function insertGuestSession(db: Db, row: TokenRow) {
  await db.insertInto('guest_sessions').values(row).execute();
}

export function selectGuestSession(db: Db, tokenHash: string) {
  return db.selectFrom('guest_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteGuestSession(db: Db, tokenHash: string) {
  await db.deleteFrom('guest_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function insertGuestDevice(db: Db, row: TokenRow) {
  await db.insertInto('guest_devices').values(row).execute();
}

export function selectGuestDevice(db: Db, tokenHash: string) {
  return db.selectFrom('guest_devices').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteSessionsAndDevices(db: Db, participantIds: readonly string[]) {
  if (participantIds.length === 0) return;
  await db.deleteFrom('guest_sessions').where('participant_id', 'in', participantIds).execute();
  await db.deleteFrom('guest_devices').where('participant_id', 'in', participantIds).execute();
}

export type DirectoryRow = {
  organisation_id: string;
  address: string;
  method: 'sms' | 'access_code' | 'email_only';
  phone: string | null;
  access_code_hint: string | null;
  updated_at: Date;
};

export function selectDirectoryEntry(db: Db, organisationId: string, address: string) {
  return db
    .selectFrom('recipient_directory')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('address', '=', address)
    .executeTakeFirst();
}

export async function upsertDirectoryEntries(db: Db, rows: DirectoryRow[]) {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('recipient_directory')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'address']).doUpdateSet((eb) => ({
          method: eb.ref('excluded.method'),
          phone: eb.ref('excluded.phone'),
          access_code_hint: eb.ref('excluded.access_code_hint'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}
