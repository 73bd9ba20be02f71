import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL of small attachments (one ciphertext blob each, uploaded before the item). No rules here. */
type Db = Kysely<DB> | Transaction<DB>;

export async function insertAttachment(
  db: Db,
  row: {
    id: string;
    organisation_id: string;
    uploaded_by_user_id: string | null;
    uploaded_by_participant_id: string | null;
    size: number;
    blob_key: string;
    created_at: Date;
  },
) {
  const inserted = await db
    .insertInto('attachments')
    .values({ ...row, item_id: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function selectAttachmentsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('attachments').selectAll().where('id', 'in', ids).execute();
}

export async function attachToItem(db: Db, itemId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await db
    .updateTable('attachments')
    .set({ item_id: itemId })
    .where('id', 'in', ids)
    .where('item_id', 'is', null)
    .execute();
}

export function selectAttachmentsOfItems(db: Db, itemIds: readonly string[]) {
  if (itemIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'item_id', 'size', 'blob_key'])
    .where('item_id', 'in', itemIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function selectStaleAttachments(db: Db, before: Date) {
  return db
    .selectFrom('attachments')
    .select(['id', 'blob_key'])
    .where('item_id', 'is', null)
    .where('created_at', '<', before)
    .limit(500)
    .execute();
}

export async function deleteAttachmentRows(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return;
  await db.deleteFrom('attachments').where('id', 'in', ids).execute();
}
