import { ErrorCode } from '@zegel/protocol/errors';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import {
  deleteAttachmentRows,
  insertAttachment,
  selectAttachmentsByIds,
  selectStaleUploads,
} from './store.ts';

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
export async function storeUpload(deps: Deps, uploader: Uploader, id: string, body: Uint8Array) {
  if (body.length > MessageLimits.maxAttachmentCiphertextBytes)
    throw new AppError(ErrorCode.payloadTooLarge, 'The attachment is too large.');
  if (body.length < 81 + 16 || body[0] !== 0x01)
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
export async function requireOwnUploads(deps: Deps, uploader: Uploader, ids: string[]) {
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

/** Deletes uploads never attached to an item (abandoned composes). */
export async function purgeStaleUploads(deps: Deps): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - MessageLimits.uploadLifetimeHours * 3600_000);
  const stale = await selectStaleUploads(deps.db, before);
  for (const row of stale) await deps.blobs.delete(row.blob_key);
  await deleteAttachmentRows(
    deps.db,
    stale.map((r) => r.id),
  );
  return stale.length;
}
