import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL of conversation events: the receipts and the proof-of-delivery log. */
type Db = Kysely<DB> | Transaction<DB>;

export interface EventInsert {
  conversation_id: string;
  participant_id: string | null;
  type: string;
  attachment_id?: string | null;
  file_id?: string | null;
  occurred_at: Date;
}

export async function insertEvents(db: Db, events: EventInsert[]) {
  if (events.length === 0) return;
  await db
    .insertInto('message_events')
    .values(events.map((e) => ({ id: crypto.randomUUID(), attachment_id: null, file_id: null, ...e })))
    .execute();
}

export function selectEvents(db: Db, conversationIds: readonly string[], types?: string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('message_events').selectAll().where('conversation_id', 'in', conversationIds);
  if (types) query = query.where('type', 'in', types);
  return query.orderBy('occurred_at').orderBy('id').execute();
}

export type EventRow = Awaited<ReturnType<typeof selectEvents>>[number];
