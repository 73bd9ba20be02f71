import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL for passkeys and their open ceremony challenges; no rules here. */
type Db = Kysely<Pick<DB, 'passkeys' | 'passkey_challenges'>>;

export function selectPasskeysOfUser(db: Db, userId: string) {
  return db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

/** Stores a passkey; undefined when its credential is registered already (to anyone). */
export function insertPasskey(
  db: Db,
  row: {
    id: string;
    userId: string;
    credentialId: string;
    publicKey: Uint8Array;
    counter: number;
    transports: string[];
    name: string;
    now: Date;
  },
) {
  return db
    .insertInto('passkeys')
    .values({
      id: row.id,
      user_id: row.userId,
      credential_id: row.credentialId,
      public_key: row.publicKey,
      counter: row.counter,
      transports: JSON.stringify(row.transports) as never,
      name: row.name,
      created_at: row.now,
    })
    .onConflict((oc) => oc.column('credential_id').doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Renames or removes only a passkey of this user; the number of rows says whether it was theirs. */
export async function renamePasskeyRow(db: Db, userId: string, id: string, name: string) {
  const result = await db
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deletePasskeyRow(db: Db, userId: string, id: string) {
  const result = await db
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function recordPasskeyUse(db: Db, id: string, counter: number, now: Date) {
  await db.updateTable('passkeys').set({ counter, last_used_at: now }).where('id', '=', id).execute();
}

export async function putChallenge(
  db: Db,
  row: { sessionId: string; purpose: 'register' | 'authenticate'; challenge: string; expiresAt: Date },
) {
  await db
    .insertInto('passkey_challenges')
    .values({
      session_id: row.sessionId,
      purpose: row.purpose,
      challenge: row.challenge,
      expires_at: row.expiresAt,
    })
    .onConflict((oc) =>
      oc
        .column('session_id')
        .doUpdateSet({ purpose: row.purpose, challenge: row.challenge, expires_at: row.expiresAt }),
    )
    .execute();
}

/** Takes the session's open challenge for this purpose (one statement, so it is used once). */
export function takeChallenge(db: Db, sessionId: string, purpose: 'register' | 'authenticate', now: Date) {
  return db
    .deleteFrom('passkey_challenges')
    .where('session_id', '=', sessionId)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', now)
    .returning('challenge')
    .executeTakeFirst();
}
