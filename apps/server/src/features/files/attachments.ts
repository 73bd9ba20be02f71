import { looksLikeContentV1 } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import {
  attachToItem,
  deleteAttachmentRows,
  insertAttachment,
  selectAttachmentsByIds,
  selectAttachmentsOfItems,
  selectStaleAttachments,
} from './attachment-store.ts';

/**
 * Small attachments: one encrypted blob each, uploaded before the item they belong to and
 * attached to it when the item is stored. Who may read one is the conversation core's rule
 * (a wrapped key to its item); this module keeps the bytes.
 */

/** The uploader of an attachment: a staff user or a verified guest. */
export type Uploader =
  | { organisationId: string; userId: string }
  | { organisationId: string; participantId: string };

/** Blob keys are made here, never from input: `attachments/<2 hex>/<uuid>`. */
function blobKeyFor(id: string): string {
  return `attachments/${id.slice(0, 2)}/${id}`;
}

/**
 * Stores one attachment ciphertext under the id the browser chose (it is the ciphertext's
 * associated data). The bytes are opaque here; the server checks only the size and the format's
 * version byte, so that plaintext sent by mistake is refused rather than stored.
 */
export async function storeAttachment(deps: Deps, uploader: Uploader, id: string, body: Uint8Array) {
  if (body.length > MessageLimits.maxAttachmentCiphertextBytes)
    throw new AppError(ErrorCode.payloadTooLarge, 'The attachment is too large.');
  if (!looksLikeContentV1(body))
    throw new AppError(
      ErrorCode.validationFailed,
      'The upload is not an encrypted attachment (content format v1).',
    );
  const key = blobKeyFor(id);
  const inserted = await insertAttachment(deps.db, {
    id,
    organisation_id: uploader.organisationId,
    uploaded_by_user_id: 'userId' in uploader ? uploader.userId : null,
    uploaded_by_participant_id: 'participantId' in uploader ? uploader.participantId : null,
    size: body.length,
    blob_key: key,
    created_at: deps.clock.now(),
  });
  if (!inserted) throw new AppError(ErrorCode.conflict, 'An attachment with this id already exists.');
  try {
    await deps.blobs.put(key, body);
  } catch (error) {
    await deleteAttachmentRows(deps.db, [id]);
    throw error;
  }
  return { id, size: body.length };
}

/** Checks that every referenced upload exists, belongs to this uploader and is not used yet. */
export async function requireOwnAttachments(deps: Deps, uploader: Uploader, ids: readonly string[]) {
  if (new Set(ids).size !== ids.length)
    throw new AppError(ErrorCode.validationFailed, 'An attachment is listed twice.');
  const rows = await selectAttachmentsByIds(deps.db, ids);
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    const mine =
      row &&
      row.item_id === null &&
      ('userId' in uploader
        ? row.uploaded_by_user_id === uploader.userId
        : row.uploaded_by_participant_id === uploader.participantId);
    if (!mine)
      throw new AppError(ErrorCode.validationFailed, 'An attachment is unknown or already used.', {
        attachmentId: id,
      });
  }
}

/** Attaches checked uploads to their item (inside the caller's transaction). */
export async function attachUploadsToItem(deps: Pick<Deps, 'db'>, itemId: string, ids: readonly string[]) {
  await attachToItem(deps.db, itemId, ids);
}

/** The attachments of these items: id, item and size. */
export async function listAttachmentsOfItems(deps: Pick<Deps, 'db'>, itemIds: readonly string[]) {
  const rows = await selectAttachmentsOfItems(deps.db, itemIds);
  return rows.map((r) => ({ id: r.id, itemId: r.item_id as string, size: r.size }));
}

/** An attachment's item (undefined for unknown or unattached ids). */
export async function findAttachmentItem(deps: Pick<Deps, 'db'>, attachmentId: string) {
  const [row] = await selectAttachmentsByIds(deps.db, [attachmentId]);
  return row?.item_id ? { itemId: row.item_id, blobKey: row.blob_key } : undefined;
}

/** An attachment's ciphertext (the caller has checked the reader may open its item). */
export async function readAttachment(deps: Deps, blobKey: string): Promise<Uint8Array> {
  const data = await deps.blobs.get(blobKey);
  if (!data) throw new AppError(ErrorCode.notFound, 'The attachment is no longer stored.');
  return data;
}

/** Deletes uploads never attached to an item (abandoned composes). */
export async function purgeStaleAttachments(deps: Deps): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - MessageLimits.uploadLifetimeHours * 3600_000);
  const stale = await selectStaleAttachments(deps.db, before);
  for (const row of stale) await deps.blobs.delete(row.blob_key);
  await deleteAttachmentRows(
    deps.db,
    stale.map((r) => r.id),
  );
  return stale.length;
}
