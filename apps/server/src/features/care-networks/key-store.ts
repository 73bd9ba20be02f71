import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The network key tables (owned by care networks). */
type KeyDb = Kysely<Pick<DB, 'care_network_keys' | 'care_network_key_wraps' | 'care_networks'>>;

export function selectKeys(db: KeyDb, networkId: string) {
  return db
    .selectFrom('care_network_keys')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('epoch')
    .execute();
}

/** Stores a new current key with its wraps; false when the network has a current key already. */
export async function insertKey(
  db: KeyDb,
  key: {
    id: string;
    network_id: string;
    epoch: number;
    public_key: string;
    created_at: Date;
    created_by: string;
  },
  wraps: { memberId: string; wrappedPrivateKey: Uint8Array }[],
): Promise<boolean> {
  const stored = await db
    .insertInto('care_network_keys')
    .values(key)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!stored) return false;
  await insertWraps(db, key.id, wraps);
  return true;
}

export async function insertWraps(
  db: KeyDb,
  keyId: string,
  wraps: { memberId: string; wrappedPrivateKey: Uint8Array }[],
) {
  if (wraps.length === 0) return;
  await db
    .insertInto('care_network_key_wraps')
    .values(
      wraps.map((w) => ({ key_id: keyId, member_id: w.memberId, wrapped_private_key: w.wrappedPrivateKey })),
    )
    .execute();
}

export function selectWraps(db: KeyDb, keyIds: readonly string[]) {
  if (keyIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('care_network_key_wraps').selectAll().where('key_id', 'in', keyIds).execute();
}

/** Retires the current key (a member left): nothing can be wrapped to it any more. */
export async function retireCurrentKey(db: KeyDb, networkId: string, at: Date) {
  await db
    .updateTable('care_network_keys')
    .set({ retired_at: at })
    .where('network_id', '=', networkId)
    .where('retired_at', 'is', null)
    .execute();
}

export async function setConversation(db: KeyDb, networkId: string, conversationId: string) {
  await db
    .updateTable('care_networks')
    .set({ conversation_id: conversationId })
    .where('id', '=', networkId)
    .execute();
}
