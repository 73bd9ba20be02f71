import type { ExpressionBuilder, Kysely, Transaction, Updateable } from 'kysely';
import type { DB, ParticipantsTable } from '../../db/schema.ts';

/**
 * SQL of the conversation core: conversations, participants, items and their wrapped keys.
 * No rules here, and no other feature's tables: names, keys and guest verification come from
 * their owners' services.
 */
type Db = Kysely<DB> | Transaction<DB>;

export interface ConversationInsert {
  id: string;
  organisation_id: string;
  kind: string;
  owner_id: string | null;
  sender_user_id: string | null;
  created_at: Date;
  expires_at: Date;
}

/** Stores a new conversation; false (nothing stored) when the id is taken. */
export async function insertConversation(db: Db, row: ConversationInsert): Promise<boolean> {
  const inserted = await db
    .insertInto('conversations')
    .values({ ...row, last_activity_at: row.created_at, purged_at: null })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function selectConversations(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('last_activity_at', 'desc')
    .execute();
}

export type ConversationRecord = Awaited<ReturnType<typeof selectConversations>>[number];

/** Locks a conversation's row for the rest of the transaction (appends and revokes serialise). */
export function lockConversation(db: Db, id: string) {
  return db.selectFrom('conversations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateConversation(
  db: Db,
  id: string,
  changes: { expires_at?: Date; purged_at?: Date; last_activity_at?: Date; files_deleted_at?: Date },
) {
  await db.updateTable('conversations').set(changes).where('id', '=', id).execute();
}

type ConversationsEb = ExpressionBuilder<DB & { c: DB['conversations'] }, 'c'>;

/**
 * Postvak IN: conversations in which the user is a recipient, and those the user started in
 * which someone else wrote (a reply).
 */
function isInInbox(eb: ConversationsEb, userId: string) {
  return eb.or([
    isRecipient(eb, 'p.user_id', userId),
    eb.and([eb('c.sender_user_id', '=', userId), eb('c.replied_at', 'is not', null)]),
  ]);
}

/** An item by this author is not by the conversation's sender (a guest's item has no author). */
function isNotBySender(eb: ExpressionBuilder<DB, 'conversations'>, authorUserId: string | null) {
  return authorUserId === null
    ? eb.lit(true)
    : eb.or([eb('sender_user_id', 'is', null), eb('sender_user_id', '!=', authorUserId)]);
}

/** The user or team takes part in the conversation `c` other than as its sender. */
function isRecipient(eb: ConversationsEb, column: 'p.user_id' | 'p.team_id', id: string) {
  return eb.exists(
    eb
      .selectFrom('participants as p')
      .select('p.id')
      .whereRef('p.conversation_id', '=', 'c.id')
      .where(column, '=', id)
      .where('p.role', '!=', 'sender'),
  );
}

/** Items of the conversation `c` that someone other than this user wrote. */
function itemsByOthers(eb: ConversationsEb, userId: string) {
  return eb
    .selectFrom('items as i')
    .whereRef('i.conversation_id', '=', 'c.id')
    .where((w) => w.or([w('i.author_user_id', 'is', null), w('i.author_user_id', '!=', userId)]));
}

/** Items by others that this user has not read: written after the user last opened the conversation. */
function unreadItems(eb: ConversationsEb, userId: string) {
  return itemsByOthers(eb, userId).where((w) =>
    w.not(
      w.exists(
        w
          .selectFrom('conversation_reads as r')
          .select('r.user_id')
          .whereRef('r.conversation_id', '=', 'c.id')
          .where('r.user_id', '=', userId)
          .whereRef('r.read_at', '>=', 'i.created_at'),
      ),
    ),
  );
}

/** Conversation ids in a mailbox, newest activity first. */
export async function selectMailboxIds(
  db: Db,
  box:
    | { kind: 'inbox'; userId: string }
    | { kind: 'sent'; userId: string }
    | { kind: 'team'; teamId: string },
  before: Date | undefined,
  limit: number,
) {
  let query = db.selectFrom('conversations as c').select(['c.id', 'c.last_activity_at']);
  if (box.kind === 'sent') query = query.where('c.sender_user_id', '=', box.userId);
  else if (box.kind === 'inbox') query = query.where((eb) => isInInbox(eb, box.userId));
  else query = query.where((eb) => isRecipient(eb, 'p.team_id', box.teamId));
  if (before) query = query.where('c.last_activity_at', '<', before);
  const rows = await query.orderBy('c.last_activity_at', 'desc').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Per conversation, how many items by others this user has not read. */
export async function countUnreadItems(db: Db, userId: string, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('conversations as c')
    .select((eb) => [
      'c.id',
      unreadItems(eb, userId)
        .select((s) => s.fn.countAll<number>().as('n'))
        .as('unread'),
    ])
    .where('c.id', 'in', conversationIds)
    .execute();
  return new Map(rows.map((r) => [r.id, Number(r.unread ?? 0)]));
}

/** The unread count looks at this many of the newest conversations in Postvak IN, no more. */
export const UNREAD_WINDOW = 500;

/**
 * How many of the newest UNREAD_WINDOW conversations in this user's Postvak IN hold something
 * unread: bounded, so the count costs the same for a mailbox of a hundred or a hundred thousand.
 */
export async function countUnreadInbox(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom((from) =>
      from
        .selectFrom('conversations as c')
        .select('c.id')
        .where('c.purged_at', 'is', null)
        .where((eb) => isInInbox(eb, userId))
        .orderBy('c.last_activity_at', 'desc')
        .limit(UNREAD_WINDOW)
        .as('c'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    // LIMIT 1 keeps this a probe per conversation (the items index) rather than a join over all items.
    .where((eb) =>
      eb(
        unreadItems(eb as unknown as ConversationsEb, userId)
          .select('i.id')
          .limit(1),
        'is not',
        null,
      ),
    )
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks everything in the conversation up to `readAt` as read by this user. */
export async function upsertRead(db: Db, conversationId: string, userId: string, readAt: Date) {
  await db
    .insertInto('conversation_reads')
    .values({ conversation_id: conversationId, user_id: userId, read_at: readAt })
    .onConflict((oc) => oc.columns(['user_id', 'conversation_id']).doUpdateSet({ read_at: readAt }))
    .execute();
}

export function selectExpiredConversations(db: Db, now: Date) {
  return db
    .selectFrom('conversations')
    .select(['id', 'organisation_id'])
    .where('expires_at', '<=', now)
    .where('purged_at', 'is', null)
    .limit(200)
    .execute();
}

/** Purged conversations whose files were not deleted yet (a run that failed half way). */
export async function selectPurgedWithFiles(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations')
    .select('id')
    .where('purged_at', 'is not', null)
    .where('files_deleted_at', 'is', null)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

type ParticipantChanges = Omit<Updateable<ParticipantsTable>, 'id'>;
export type ParticipantInsert = ParticipantChanges &
  Pick<ParticipantsTable, 'id' | 'conversation_id' | 'kind' | 'role'>;

/** Stores participants; false (nothing stored, the caller rolls back) when an id is taken. */
export async function insertParticipants(db: Db, rows: ParticipantInsert[]): Promise<boolean> {
  if (rows.length === 0) return true;
  const inserted = await db
    .insertInto('participants')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return inserted.length === rows.length;
}

export function selectParticipantRows(db: Db, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('participants')
    .selectAll()
    .where('conversation_id', 'in', conversationIds)
    .orderBy('role')
    .orderBy('id')
    .execute();
}

export type ParticipantRecord = Awaited<ReturnType<typeof selectParticipantRows>>[number];

export function selectParticipantRow(db: Db, id: string) {
  return db.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function existingParticipantIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('participants').select('id').where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

export async function updateParticipant(db: Db, id: string, changes: ParticipantChanges) {
  await db.updateTable('participants').set(changes).where('id', '=', id).execute();
}

/** Marks guests revoked; returns the ids revoked now (not those revoked before). */
export async function markGuestsRevoked(db: Db, conversationId: string, ids: readonly string[], now: Date) {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('participants')
    .set({ revoked_at: now })
    .where('conversation_id', '=', conversationId)
    .where('kind', '=', 'guest')
    .where('id', 'in', ids)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export interface ItemInsert {
  id: string;
  conversation_id: string;
  author_kind: 'user' | 'guest';
  author_user_id: string | null;
  author_participant_id: string | null;
  on_behalf_of_team_id: string | null;
  created_at: Date;
  ciphertext: Uint8Array;
}

/** Stores an item with its wrapped keys; false (nothing stored) when the item id is taken. */
export async function insertItem(
  db: Db,
  item: ItemInsert,
  keys: { holderId: string; wrappedKey: Uint8Array }[],
): Promise<boolean> {
  const inserted = await db
    .insertInto('items')
    .values(item)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return false;
  await db
    .insertInto('item_keys')
    .values(keys.map((k) => ({ item_id: item.id, holder_id: k.holderId, wrapped_key: k.wrappedKey })))
    .execute();
  await db
    .updateTable('conversations')
    .set((eb) => ({
      last_activity_at: item.created_at,
      // The first item by anyone but the sender is a reply: from then on it is in the sender's inbox.
      replied_at: eb
        .case()
        .when(eb.and([eb('replied_at', 'is', null), isNotBySender(eb, item.author_user_id ?? null)]))
        .then(item.created_at)
        .else(eb.ref('replied_at'))
        .end(),
    }))
    .where('id', '=', item.conversation_id)
    .execute();
  return true;
}

export function selectItemRows(db: Db, conversationIds: readonly string[], onlyFirst = false) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('items as i').selectAll().where('i.conversation_id', 'in', conversationIds);
  if (onlyFirst) {
    query = query.where(({ eb, selectFrom }) =>
      eb(
        'i.id',
        '=',
        selectFrom('items as f')
          .select('f.id')
          .whereRef('f.conversation_id', '=', 'i.conversation_id')
          .orderBy('f.created_at')
          .orderBy('f.id')
          .limit(1),
      ),
    );
  }
  return query.orderBy('i.created_at').orderBy('i.id').execute();
}

/** The conversation an item belongs to (undefined for an unknown item). */
export async function selectItemConversationId(db: Db, itemId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('items')
    .select('conversation_id')
    .where('id', '=', itemId)
    .executeTakeFirst();
  return row?.conversation_id;
}

export async function selectItemIds(db: Db, conversationIds: readonly string[]): Promise<string[]> {
  if (conversationIds.length === 0) return [];
  const rows = await db
    .selectFrom('items')
    .select('id')
    .where('conversation_id', 'in', conversationIds)
    .execute();
  return rows.map((r) => r.id);
}

export function selectItemKeys(db: Db, itemIds: readonly string[], holderIds: readonly string[]) {
  if (itemIds.length === 0 || holderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('item_keys')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .where('holder_id', 'in', holderIds)
    .execute();
}

export async function deleteItemKeysOfHolders(db: Db, conversationId: string, holderIds: readonly string[]) {
  if (holderIds.length === 0) return;
  await db
    .deleteFrom('item_keys')
    .where('holder_id', 'in', holderIds)
    .where('item_id', 'in', (eb) =>
      eb.selectFrom('items').select('id').where('conversation_id', '=', conversationId),
    )
    .execute();
}

export function countItems(db: Db, conversationIds: readonly string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('items')
    .select(['conversation_id', db.fn.countAll<number>().as('n')])
    .where('conversation_id', 'in', conversationIds)
    .groupBy('conversation_id')
    .execute();
}
