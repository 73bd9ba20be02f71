import { type Kysely, sql } from 'kysely';
import type { DB, FilesTable } from '../../db/schema.ts';

export type FileRow = FilesTable;

export async function selectFile(db: Kysely<DB>, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Reserves `bytes` of the organisation's quota; false (and nothing changed) when that would go
 * over `quota`. The row lock it takes also serialises the per-message check that follows in the
 * same transaction.
 */
export async function reserveUsage(
  db: Kysely<DB>,
  organisationId: string,
  bytes: number,
  quota: number,
): Promise<boolean> {
  await db
    .insertInto('file_usage')
    .values({ organisation_id: organisationId, reserved_bytes: 0 })
    .onConflict((c) => c.column('organisation_id').doNothing())
    .execute();
  const updated = await db
    .updateTable('file_usage')
    .set({ reserved_bytes: sql`reserved_bytes + ${bytes}` })
    .where('organisation_id', '=', organisationId)
    .where(sql<boolean>`reserved_bytes + ${bytes} <= ${quota}`)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function releaseUsage(db: Kysely<DB>, organisationId: string, bytes: number): Promise<void> {
  await db
    .updateTable('file_usage')
    .set({ reserved_bytes: sql`greatest(reserved_bytes - ${bytes}, 0)` })
    .where('organisation_id', '=', organisationId)
    .execute();
}

export async function selectUsage(db: Kysely<DB>, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('file_usage')
    .select('reserved_bytes')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.reserved_bytes ?? 0;
}

/** Declared bytes of the files of one message (uploads in progress included). */
export async function sumMessageFiles(db: Kysely<DB>, organisationId: string, messageId: string) {
  const row = await db
    .selectFrom('files')
    .select(sql<number>`coalesce(sum(length), 0)::bigint`.as('total'))
    .where('organisation_id', '=', organisationId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export async function insertFile(db: Kysely<DB>, row: FileRow): Promise<boolean> {
  const inserted = await db
    .insertInto('files')
    .values(row)
    .onConflict((c) => c.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Takes the upload's write lock for a PATCH at `offset`, if the row still looks exactly as the
 * caller saw it (offset, previous lock, previous pending blob): a compare-and-set, so two
 * processes racing for the same upload cannot both win.
 */
export async function acquireUploadLock(
  db: Kysely<DB>,
  seen: FileRow,
  lock: { token: string; until: Date; pendingKey: string; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('files')
    .set({
      lock_token: lock.token,
      locked_until: lock.until,
      pending_key: lock.pendingKey,
      updated_at: lock.now,
    })
    .where('id', '=', seen.id)
    .where('completed_at', 'is', null)
    .where('upload_offset', '=', seen.upload_offset)
    .where(sql<boolean>`lock_token IS NOT DISTINCT FROM ${seen.lock_token}`)
    .where(sql<boolean>`pending_key IS NOT DISTINCT FROM ${seen.pending_key}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Keeps a lock alive while a long PATCH streams; false when it was lost. */
export async function extendUploadLock(db: Kysely<DB>, id: string, token: string, until: Date) {
  const result = await db
    .updateTable('files')
    .set({ locked_until: until })
    .where('id', '=', id)
    .where('lock_token', '=', token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Releases a lock without progress (a failed PATCH). */
export async function releaseUploadLock(db: Kysely<DB>, id: string, token: string, now: Date): Promise<void> {
  await db
    .updateTable('files')
    .set({ lock_token: null, locked_until: null, pending_key: null, updated_at: now })
    .where('id', '=', id)
    .where('lock_token', '=', token)
    .execute();
}

/**
 * Records a written segment and moves the offset on, only if this PATCH still holds the lock.
 * Returns the new offset, or undefined when the lock was lost (the caller deletes its blob).
 */
export async function commitSegment(
  db: Kysely<DB>,
  file: FileRow,
  token: string,
  segment: { size: number; blobKey: string },
  now: Date,
): Promise<number | undefined> {
  return db.transaction().execute(async (tx) => {
    const newOffset = file.upload_offset + segment.size;
    const result = await tx
      .updateTable('files')
      .set({
        upload_offset: newOffset,
        lock_token: null,
        locked_until: null,
        pending_key: null,
        updated_at: now,
        completed_at: newOffset === file.length ? now : null,
      })
      .where('id', '=', file.id)
      .where('lock_token', '=', token)
      .where('upload_offset', '=', file.upload_offset)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    if (segment.size > 0)
      await tx
        .insertInto('file_segments')
        .values({
          file_id: file.id,
          start_offset: file.upload_offset,
          size: segment.size,
          blob_key: segment.blobKey,
        })
        .execute();
    return newOffset;
  });
}

export async function selectSegments(db: Kysely<DB>, fileId: string) {
  return db
    .selectFrom('file_segments')
    .selectAll()
    .where('file_id', '=', fileId)
    .orderBy('start_offset')
    .execute();
}

/**
 * Uploads untouched since `before` and not locked now: unfinished ones, and complete ones never
 * sent with a message (`item_id` null; `updated_at` is the completion time).
 */
export async function selectAbandonedUploads(db: Kysely<DB>, before: Date, now: Date) {
  return db
    .selectFrom('files')
    .selectAll()
    .where((eb) => eb.or([eb('completed_at', 'is', null), eb('item_id', 'is', null)]))
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .limit(500)
    .execute();
}

/** Deletes the file row (segments cascade) if it is still as seen; true when deleted. */
export async function deleteFileRow(db: Kysely<DB>, file: FileRow): Promise<boolean> {
  const result = await db
    .deleteFrom('files')
    .where('id', '=', file.id)
    .where(sql<boolean>`lock_token IS NOT DISTINCT FROM ${file.lock_token}`)
    .where('upload_offset', '=', file.upload_offset)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// ── Files linked to message items (the messages feature decides who may read them) ───────

export async function selectFilesByIds(db: Kysely<DB>, ids: string[]): Promise<FileRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('files').selectAll().where('id', 'in', ids).execute();
}

/** Sets `item_id` on complete, unlinked files of this owner; returns the ids it linked. */
export async function linkFilesToItemRow(
  db: Kysely<DB>,
  owner: { organisationId: string; userId: string },
  itemId: string,
  ids: string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('files')
    .set({ item_id: itemId })
    .where('id', 'in', ids)
    .where('organisation_id', '=', owner.organisationId)
    .where('user_id', '=', owner.userId)
    .where('completed_at', 'is not', null)
    .where('item_id', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function selectFilesOfItems(db: Kysely<DB>, itemIds: string[]): Promise<FileRow[]> {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('files')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function selectLinkedFile(db: Kysely<DB>, id: string): Promise<FileRow | undefined> {
  return db
    .selectFrom('files')
    .selectAll()
    .where('id', '=', id)
    .where('item_id', 'is not', null)
    .where('completed_at', 'is not', null)
    .executeTakeFirst();
}
