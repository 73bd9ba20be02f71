import type { Insertable, Kysely } from 'kysely';
import type { CareAccountsTable, CareInvitationsTable, CareSessionsTable, DB } from '../../db/schema.ts';

/** Personal accounts' tables (owned by care networks). */
type PersonalDb = Kysely<Pick<DB, 'care_accounts' | 'care_invitations' | 'care_sessions' | 'care_devices'>>;

export function selectAccountByEmail(db: PersonalDb, email: string) {
  return db.selectFrom('care_accounts').selectAll().where('email', '=', email).executeTakeFirst();
}

export function selectAccount(db: PersonalDb, id: string) {
  return db.selectFrom('care_accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Stores an account; false when the address has one already. */
export async function insertAccount(
  db: PersonalDb,
  row: Omit<Insertable<CareAccountsTable>, 'kdf_params'> & { kdf_params: object },
): Promise<boolean> {
  const stored = await db
    .insertInto('care_accounts')
    .values({ ...row, kdf_params: JSON.stringify(row.kdf_params) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return stored !== undefined;
}

export async function insertInvitation(
  db: PersonalDb,
  row: Omit<Insertable<CareInvitationsTable>, 'used_at'>,
) {
  await db.insertInto('care_invitations').values(row).execute();
}

export function selectOpenInvitation(db: PersonalDb, email: string, now: Date) {
  return db
    .selectFrom('care_invitations')
    .select('id')
    .where('email', '=', email)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export function selectInvitationByToken(db: PersonalDb, tokenHash: string) {
  return db.selectFrom('care_invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks an invitation used; false when it was used already (a second accept loses). */
export async function useInvitation(db: PersonalDb, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('care_invitations')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertSession(db: PersonalDb, row: Omit<Insertable<CareSessionsTable>, 'wrong_codes'>) {
  await db.insertInto('care_sessions').values(row).execute();
}

export function selectSession(db: PersonalDb, tokenHash: string, now: Date) {
  return db
    .selectFrom('care_sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Counts a wrong code and returns the count (atomic, so parallel guesses all count). */
export async function countWrongCode(db: PersonalDb, sessionId: string): Promise<number> {
  const row = await db
    .updateTable('care_sessions')
    .set((eb) => ({ wrong_codes: eb('wrong_codes', '+', 1) }))
    .where('id', '=', sessionId)
    .returning('wrong_codes')
    .executeTakeFirst();
  return row?.wrong_codes ?? Number.MAX_SAFE_INTEGER;
}

export async function completeSession(db: PersonalDb, sessionId: string) {
  await db
    .updateTable('care_sessions')
    .set({ stage: 'full', code_hash: null, code_expires_at: null })
    .where('id', '=', sessionId)
    .execute();
}

export async function deleteSession(db: PersonalDb, sessionId: string) {
  await db.deleteFrom('care_sessions').where('id', '=', sessionId).execute();
}

export async function insertDevice(
  db: PersonalDb,
  row: { id: string; token_hash: string; account_id: string; created_at: Date; expires_at: Date },
) {
  await db.insertInto('care_devices').values(row).execute();
}

export function selectDevice(db: PersonalDb, tokenHash: string, accountId: string, now: Date) {
  return db
    .selectFrom('care_devices')
    .select('id')
    .where('token_hash', '=', tokenHash)
    .where('account_id', '=', accountId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Public keys of personal accounts by address (people who have not accepted yet have none). */
export function selectPublicKeysByEmail(db: PersonalDb, emails: readonly string[]) {
  if (emails.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('care_accounts')
    .select(['email', 'public_key'])
    .where('email', 'in', emails)
    .execute();
}
