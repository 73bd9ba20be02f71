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
 * are counted and no lock is running: the count after it, or undefined when no attempt is
 * left. A correct code sets the count back to 0, so what stays counted are wrong codes.
 */
export async function reserveAttempt(
  db: Db,
  participantId: string,
  max: number,
  now: Date,
): Promise<number | undefined> {
  const row = await db
    .updateTable('guest_credentials')
    .set({ wrong_codes: sql<number>`wrong_codes + 1` })
    .where('participant_id', '=', participantId)
    .where('wrong_codes', '<', max)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('wrong_codes')
    .executeTakeFirst();
  return row?.wrong_codes;
}

/**
 * Starts a lock once `max` wrong codes are counted and no lock is running, in one statement:
 * the wait is `firstSeconds` doubled for every earlier lock since the last success, at most
 * `maxSeconds`; the count starts again and any SMS code stops working. Only the call that set it
 * gets the lock back, so parallel guesses lock once.
 */
export async function lockCredentials(
  db: Db,
  participantId: string,
  wait: { maxWrongCodes: number; firstSeconds: number; maxSeconds: number },
  now: Date,
): Promise<{ lockCount: number; lockedUntil: Date } | undefined> {
  const seconds = sql<number>`least(${wait.firstSeconds}::float8 * power(2::float8, lock_count), ${wait.maxSeconds}::float8)`;
  const row = await db
    .updateTable('guest_credentials')
    .set({
      locked_at: now,
      locked_until: sql<Date>`${now}::timestamptz + make_interval(secs => ${seconds})`,
      lock_count: sql<number>`lock_count + 1`,
      wrong_codes: 0,
      sms_code_hash: null,
    })
    .where('participant_id', '=', participantId)
    .where('wrong_codes', '>=', wait.maxWrongCodes)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning(['lock_count', 'locked_until'])
    .executeTakeFirst();
  return row?.locked_until ? { lockCount: row.lock_count, lockedUntil: row.locked_until } : undefined;
}

/** Ends any lock and forgets the wrong codes and earlier locks (a success, or the sender's unlock). */
export async function clearLock(db: Db, participantId: string) {
  const row = await db
    .updateTable('guest_credentials')
    .set({ wrong_codes: 0, lock_count: 0, locked_until: null })
    .where('participant_id', '=', participantId)
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

/** Sets a guest's link proof hash once; a stored one is never replaced. */
export async function setLinkProofHash(db: Db, participantId: string, hash: Uint8Array) {
  await db
    .updateTable('guest_credentials')
    .set({ link_proof_hash: hash })
    .where('participant_id', '=', participantId)
    .where('link_proof_hash', 'is', null)
    .execute();
}
