import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
import type { DB, ParticipantsTable } from '../../db/schema.ts';

/** SQL of the messages feature. No rules here: services decide who may do what. */
type Db = Kysely<DB> | Transaction<DB>;

// ── Organisation settings ──────────────────────────────────────────────────────────────

export async function selectMessageSettings(db: Db, organisationId: string) {
  return db
    .selectFrom('organisations')
    .select([
      'id',
      'name',
      'slug',
      'branding',
      'logo_type',
      'message_expiry_days',
      'allow_email_only',
      'guest_remember_days',
    ])
    .where('id', '=', organisationId)
    .executeTakeFirst();
}

export async function updateMessageSettings(
  db: Db,
  organisationId: string,
  changes: { message_expiry_days?: number; allow_email_only?: boolean; guest_remember_days?: number },
) {
  await db.updateTable('organisations').set(changes).where('id', '=', organisationId).execute();
}

// ── Account and team keys ──────────────────────────────────────────────────────────────

export async function selectUserKeys(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'organisation_id', 'name', 'email', 'public_key', 'wrapped_private_key', 'status'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** The team's own notification address, when its contact settings send notifications there. */
export async function selectTeamNotifyAddress(db: Db, teamId: string): Promise<string | null> {
  const row = await db
    .selectFrom('team_contact_settings')
    .select('notify_address')
    .where('team_id', '=', teamId)
    .where('notify', '=', 'address')
    .where('notify_address', '<>', '')
    .executeTakeFirst();
  return row?.notify_address ?? null;
}

export async function selectTeamMemberIds(db: Db, teamId: string) {
  const rows = await db.selectFrom('team_members').select('user_id').where('team_id', '=', teamId).execute();
  return rows.map((r) => r.user_id);
}

export async function selectTeamIdsOfUser(db: Db, userId: string) {
  const rows = await db.selectFrom('team_members').select('team_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.team_id);
}

export async function selectUsersByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'organisation_id', 'name', 'email', 'public_key', 'status'])
    .where('id', 'in', ids)
    .execute();
}

export async function selectTeamsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('teams as t')
    .leftJoin('team_keys as k', (join) => join.onRef('k.team_id', '=', 't.id').on('k.is_current', '=', true))
    .select(['t.id', 't.organisation_id', 't.name', 'k.public_key'])
    .where('t.id', 'in', ids)
    .execute();
}

// ── Recipient directory ────────────────────────────────────────────────────────────────

export async function selectDirectoryEntry(db: Db, organisationId: string, address: string) {
  return db
    .selectFrom('recipient_directory')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('address', '=', address)
    .executeTakeFirst();
}

export async function upsertDirectoryEntries(
  db: Db,
  rows: {
    organisation_id: string;
    address: string;
    method: 'sms' | 'access_code' | 'email_only';
    phone: string | null;
    access_code_hint: string | null;
    updated_at: Date;
  }[],
) {
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

// ── Uploads and attachments ────────────────────────────────────────────────────────────

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
  const result = await db
    .insertInto('attachments')
    .values({ ...row, item_id: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function selectAttachmentsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('attachments').selectAll().where('id', 'in', ids).execute();
}

export async function attachUploads(db: Db, itemId: string, ids: string[]) {
  if (ids.length === 0) return;
  await db
    .updateTable('attachments')
    .set({ item_id: itemId })
    .where('id', 'in', ids)
    .where('item_id', 'is', null)
    .execute();
}

export async function selectAttachmentsOfItems(db: Db, itemIds: string[]) {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('attachments')
    .select(['id', 'item_id', 'size', 'blob_key'])
    .where('item_id', 'in', itemIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function selectAttachmentWithItem(db: Db, attachmentId: string) {
  return db
    .selectFrom('attachments as a')
    .innerJoin('items as i', 'i.id', 'a.item_id')
    .select(['a.id', 'a.size', 'a.blob_key', 'a.item_id', 'i.conversation_id'])
    .where('a.id', '=', attachmentId)
    .executeTakeFirst();
}

export async function selectStaleUploads(db: Db, before: Date) {
  return db
    .selectFrom('attachments')
    .select(['id', 'blob_key'])
    .where('item_id', 'is', null)
    .where('created_at', '<', before)
    .limit(500)
    .execute();
}

export async function deleteAttachmentRows(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db.deleteFrom('attachments').where('id', 'in', ids).execute();
}

// ── Conversations, participants, items ─────────────────────────────────────────────────

export async function insertConversation(
  db: Db,
  row: {
    id: string;
    organisation_id: string;
    sender_user_id: string | null;
    contact_team_id?: string | null;
    created_at: Date;
    expires_at: Date;
  },
) {
  await db
    .insertInto('conversations')
    .values({ ...row, last_activity_at: row.created_at, purged_at: null })
    .execute();
}

type ParticipantChanges = Omit<Updateable<ParticipantsTable>, 'id' | 'access_code_params'>;

export type ParticipantInsert = ParticipantChanges &
  Pick<ParticipantsTable, 'id' | 'conversation_id' | 'kind' | 'role'> & {
    access_code_params?: {
      algorithm: 'argon2id';
      memoryKiB: number;
      iterations: number;
      parallelism: number;
    } | null;
  };

export async function insertParticipants(db: Db, rows: ParticipantInsert[]) {
  if (rows.length === 0) return;
  await db
    .insertInto('participants')
    .values(
      rows.map((r) => ({
        ...r,
        access_code_params: r.access_code_params === undefined ? null : JSON.stringify(r.access_code_params),
      })) as never,
    )
    .execute();
}

export async function insertItem(
  db: Db,
  item: {
    id: string;
    conversation_id: string;
    author_kind: 'user' | 'guest';
    author_user_id: string | null;
    author_participant_id: string | null;
    on_behalf_of_team_id?: string | null;
    created_at: Date;
    ciphertext: Uint8Array;
  },
  keys: { holderId: string; wrappedKey: Uint8Array }[],
) {
  await db.insertInto('items').values(item).execute();
  await db
    .insertInto('item_keys')
    .values(keys.map((k) => ({ item_id: item.id, holder_id: k.holderId, wrapped_key: k.wrappedKey })))
    .execute();
  await db
    .updateTable('conversations')
    .set({ last_activity_at: item.created_at })
    .where('id', '=', item.conversation_id)
    .execute();
}

export async function existingParticipantIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('participants').select('id').where('id', 'in', ids).execute();
  return rows.map((r) => r.id);
}

/** Conversations with their sender's name and address, the shape both look-ups return. */
function conversationsWithSender(db: Db) {
  return db
    .selectFrom('conversations as c')
    .leftJoin('users as u', 'u.id', 'c.sender_user_id')
    .leftJoin('teams as ct', 'ct.id', 'c.contact_team_id')
    .leftJoin('participants as gs', (join) =>
      join.onRef('gs.conversation_id', '=', 'c.id').on('gs.role', '=', 'sender').on('gs.kind', '=', 'guest'),
    )
    .select(({ fn }) => [
      'c.id',
      'c.organisation_id',
      'c.sender_user_id',
      'c.contact_team_id',
      'ct.name as contact_team_name',
      'c.created_at',
      'c.last_activity_at',
      'c.expires_at',
      'c.purged_at',
      // A contact conversation's starter is the person; their address stands for the name.
      fn.coalesce('u.name', 'gs.address', sql<string>`''`).as('sender_name'),
      'u.email as sender_email',
    ]);
}

export async function selectConversation(db: Db, id: string) {
  return conversationsWithSender(db).where('c.id', '=', id).executeTakeFirst();
}

export async function selectConversationsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return conversationsWithSender(db).where('c.id', 'in', ids).orderBy('c.last_activity_at', 'desc').execute();
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
  else {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('participants as p')
          .select('p.id')
          .whereRef('p.conversation_id', '=', 'c.id')
          .where(
            box.kind === 'inbox' ? 'p.user_id' : 'p.team_id',
            '=',
            box.kind === 'inbox' ? box.userId : box.teamId,
          )
          .where('p.role', '!=', 'sender'),
      ),
    );
  }
  if (before) query = query.where('c.last_activity_at', '<', before);
  const rows = await query.orderBy('c.last_activity_at', 'desc').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Participants with the name, address and current public key of the user or team behind them. */
function participantsWithHolders(db: Db) {
  return db
    .selectFrom('participants as p')
    .leftJoin('users as u', 'u.id', 'p.user_id')
    .leftJoin('teams as t', 't.id', 'p.team_id')
    .leftJoin('team_keys as k', (join) =>
      join.onRef('k.team_id', '=', 'p.team_id').on('k.is_current', '=', true),
    )
    .selectAll('p')
    .select([
      'u.name as user_name',
      'u.email as user_email',
      'u.public_key as user_public_key',
      't.name as team_name',
      'k.public_key as team_public_key',
    ]);
}

export async function selectParticipants(db: Db, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  return participantsWithHolders(db)
    .where('p.conversation_id', 'in', conversationIds)
    .orderBy('p.role')
    .orderBy('p.id')
    .execute();
}

export type ParticipantRow = Awaited<ReturnType<typeof selectParticipants>>[number];

export async function selectParticipant(db: Db, id: string): Promise<ParticipantRow | undefined> {
  return participantsWithHolders(db).where('p.id', '=', id).executeTakeFirst();
}

export async function updateParticipant(db: Db, id: string, changes: ParticipantChanges) {
  await db.updateTable('participants').set(changes).where('id', '=', id).execute();
}

/** Counts one wrong code atomically (every process sees the same count); returns the new count. */
export async function incrementWrongCodes(db: Db, id: string): Promise<number> {
  const row = await db
    .updateTable('participants')
    .set({ wrong_codes: sql<number>`wrong_codes + 1` })
    .where('id', '=', id)
    .returning('wrong_codes')
    .executeTakeFirstOrThrow();
  return row.wrong_codes;
}

/** Locks a guest once: returns true only for the call that set the lock. */
export async function lockParticipant(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('participants')
    .set({ locked_at: now, sms_code_hash: null })
    .where('id', '=', id)
    .where('locked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Consumes an SMS code once: returns true only if it matched and was still unused and valid. */
export async function consumeSmsCode(db: Db, id: string, codeHash: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('participants')
    .set({ sms_code_hash: null, sms_code_expires_at: null })
    .where('id', '=', id)
    .where('sms_code_hash', '=', codeHash)
    .where('sms_code_expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function selectItems(db: Db, conversationIds: string[], onlyFirst = false) {
  if (conversationIds.length === 0) return [];
  let query = db
    .selectFrom('items as i')
    .leftJoin('users as u', 'u.id', 'i.author_user_id')
    .leftJoin('participants as p', 'p.id', 'i.author_participant_id')
    .leftJoin('teams as t', 't.id', 'i.on_behalf_of_team_id')
    .select([
      'i.id',
      'i.conversation_id',
      'i.author_kind',
      'i.author_user_id',
      'i.author_participant_id',
      'i.created_at',
      'i.ciphertext',
      'u.name as author_user_name',
      'p.address as author_address',
      'i.on_behalf_of_team_id',
      't.name as on_behalf_of_team_name',
    ])
    .where('i.conversation_id', 'in', conversationIds);
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

export async function selectItemIds(db: Db, conversationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('items')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Items of purged (expired) conversations that still have large files linked: what an expiry run
 * that failed after shredding the keys left behind. The files feature deletes them.
 */
export async function selectPurgedItemsWithFiles(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('files as f')
    .innerJoin('items as i', 'i.id', 'f.item_id')
    .innerJoin('conversations as c', 'c.id', 'i.conversation_id')
    .select('i.id')
    .distinct()
    .where('c.purged_at', 'is not', null)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function selectItemKeys(db: Db, itemIds: string[], holderIds: string[]) {
  if (itemIds.length === 0 || holderIds.length === 0) return [];
  return db
    .selectFrom('item_keys')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .where('holder_id', 'in', holderIds)
    .execute();
}

export async function deleteItemKeysOfHolders(db: Db, conversationId: string, holderIds: string[]) {
  if (holderIds.length === 0) return;
  await db
    .deleteFrom('item_keys')
    .where('holder_id', 'in', holderIds)
    .where('item_id', 'in', (eb) =>
      eb.selectFrom('items').select('id').where('conversation_id', '=', conversationId),
    )
    .execute();
}

export async function updateConversation(
  db: Db,
  id: string,
  changes: { expires_at?: Date; purged_at?: Date },
) {
  await db.updateTable('conversations').set(changes).where('id', '=', id).execute();
}

export async function selectExpiredConversations(db: Db, now: Date) {
  return db
    .selectFrom('conversations')
    .select(['id', 'organisation_id'])
    .where('expires_at', '<=', now)
    .where('purged_at', 'is', null)
    .limit(200)
    .execute();
}

// ── Events ─────────────────────────────────────────────────────────────────────────────

export async function insertEvents(
  db: Db,
  events: {
    conversation_id: string;
    participant_id: string | null;
    type: string;
    attachment_id?: string | null;
    file_id?: string | null;
    occurred_at: Date;
  }[],
) {
  if (events.length === 0) return;
  await db
    .insertInto('message_events')
    .values(events.map((e) => ({ id: crypto.randomUUID(), attachment_id: null, file_id: null, ...e })))
    .execute();
}

export async function selectEvents(db: Db, conversationIds: string[], types?: string[]) {
  if (conversationIds.length === 0) return [];
  let query = db.selectFrom('message_events').selectAll().where('conversation_id', 'in', conversationIds);
  if (types) query = query.where('type', 'in', types);
  return query.orderBy('occurred_at').orderBy('id').execute();
}

// ── Guest sessions and remembered browsers ─────────────────────────────────────────────

export async function insertGuestSession(
  db: Db,
  row: { id: string; participant_id: string; token_hash: string; created_at: Date; expires_at: Date },
) {
  await db.insertInto('guest_sessions').values(row).execute();
}

export async function selectGuestSession(db: Db, tokenHash: string) {
  return db.selectFrom('guest_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteGuestSession(db: Db, tokenHash: string) {
  await db.deleteFrom('guest_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function insertGuestDevice(
  db: Db,
  row: { id: string; participant_id: string; token_hash: string; created_at: Date; expires_at: Date },
) {
  await db.insertInto('guest_devices').values(row).execute();
}

export async function selectGuestDevice(db: Db, tokenHash: string) {
  return db.selectFrom('guest_devices').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteGuestAccess(db: Db, participantIds: string[]) {
  if (participantIds.length === 0) return;
  await db.deleteFrom('guest_sessions').where('participant_id', 'in', participantIds).execute();
  await db.deleteFrom('guest_devices').where('participant_id', 'in', participantIds).execute();
}

/** Revokes guests: no server share, no sessions; returns the ids actually revoked now. */
export async function revokeGuests(db: Db, conversationId: string, participantIds: string[], now: Date) {
  if (participantIds.length === 0) return [];
  const rows = await db
    .updateTable('participants')
    .set({ revoked_at: now, server_share: null, sms_code_hash: null })
    .where('conversation_id', '=', conversationId)
    .where('kind', '=', 'guest')
    .where('id', 'in', participantIds)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function shredGuestShares(db: Db, conversationId: string) {
  const rows = await db
    .updateTable('participants')
    .set({ server_share: null, sms_code_hash: null })
    .where('conversation_id', '=', conversationId)
    .where('kind', '=', 'guest')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function countItems(db: Db, conversationIds: string[]) {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('items')
    .select(['conversation_id', db.fn.countAll<number>().as('n')])
    .where('conversation_id', 'in', conversationIds)
    .groupBy('conversation_id')
    .execute();
}
