import { Readable } from 'node:stream';
import { getDecryptedContentSize } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { BlobSizeError } from '../../adapters/blob-store.ts';
import type { Actor, Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import {
  acquireUploadLock,
  commitSegment,
  deleteFileRow,
  extendUploadLock,
  type FileRow,
  insertFile,
  releaseUploadLock,
  releaseUsage,
  reserveUsage,
  selectFile,
  selectSegments,
  sumMessageFiles,
} from './store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Blob keys are made here, never from input: `files/<2 hex>/<file id>/<offset>-<lock token>`. */
function segmentKey(fileId: string, offset: number, token: string): string {
  return `files/${fileId.slice(0, 2)}/${fileId}/${offset}-${token}`;
}

export interface CreateUploadInput {
  /** The file id the browser chose (the ciphertext's associated data). */
  id: string;
  /** Declared ciphertext length (`getEncryptedContentSize` of the plaintext size). */
  length: number;
  messageId: string | undefined;
}

/**
 * Creates an upload after every limit has been checked, before a single byte is sent: the
 * configured maximum file size, the content format's sizes, the per-message total and the
 * organisation's quota (reserved now, at the declared length, in one transaction).
 */
export async function createUpload(deps: Deps, actor: Actor, input: CreateUploadInput): Promise<FileRow> {
  if (!UUID.test(input.id)) throw new AppError(ErrorCode.validationFailed, 'The file id must be a UUID.');
  if (input.messageId !== undefined && !UUID.test(input.messageId))
    throw new AppError(ErrorCode.validationFailed, 'The message id must be a UUID.');
  if (input.length > deps.config.maxFileBytes)
    throw new AppError(
      ErrorCode.fileTooLarge,
      `The file is larger than the maximum of ${deps.config.maxFileBytes} bytes (encrypted).`,
      { maxFileBytes: deps.config.maxFileBytes },
    );
  try {
    getDecryptedContentSize(input.length);
  } catch {
    throw new AppError(
      ErrorCode.validationFailed,
      'The upload length is not the size of an encrypted file (content format v1).',
    );
  }
  const now = deps.clock.now();
  const row: FileRow = {
    id: input.id,
    organisation_id: actor.organisationId,
    user_id: actor.userId,
    message_id: input.messageId ?? null,
    length: input.length,
    upload_offset: 0,
    lock_token: null,
    locked_until: null,
    pending_key: null,
    created_at: now,
    updated_at: now,
    completed_at: null,
    item_id: null,
  };
  await deps.db.transaction().execute(async (tx) => {
    const quota = deps.config.organisationFileQuotaBytes;
    if (!(await reserveUsage(tx, actor.organisationId, input.length, quota)))
      throw new AppError(
        ErrorCode.quotaExceeded,
        "The organisation's file storage quota would be exceeded.",
        {
          quotaBytes: quota,
        },
      );
    if (input.messageId !== undefined) {
      const used = await sumMessageFiles(tx, actor.organisationId, input.messageId);
      if (used + input.length > deps.config.maxMessageFileBytes)
        throw new AppError(
          ErrorCode.messageFilesTooLarge,
          `The files of one message may together be at most ${deps.config.maxMessageFileBytes} bytes (encrypted).`,
          { maxMessageFileBytes: deps.config.maxMessageFileBytes },
        );
    }
    if (!(await insertFile(tx, row)))
      throw new AppError(ErrorCode.conflict, 'A file with this id already exists.');
  });
  return row;
}

/** The caller's own upload; anything else (unknown, another user's, malformed id) is "not found". */
export async function requireOwnUpload(deps: Deps, actor: Actor, id: string): Promise<FileRow> {
  const row = UUID.test(id) ? await selectFile(deps.db, id) : undefined;
  if (!row || row.user_id !== actor.userId || row.organisation_id !== actor.organisationId)
    throw new AppError(ErrorCode.notFound, 'No such upload.');
  return row;
}

/** Checks the first byte of an upload (the format's version byte) as it streams past. */
async function* withVersionByteCheck(body: Readable): AsyncGenerator<Buffer> {
  let checked = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (!checked && chunk.length > 0) {
      checked = true;
      if (chunk[0] !== 0x01)
        throw new AppError(
          ErrorCode.validationFailed,
          'The upload is not an encrypted file (content format v1).',
        );
    }
    yield chunk;
  }
}

/**
 * Appends one PATCH body at `offset`. The body streams straight into a new segment blob (never
 * buffered whole); the offset moves on only when the whole body arrived. The lock is a row in the
 * database, so the next PATCH may go to any process; a killed process's lock simply expires.
 */
export async function appendToUpload(
  deps: Deps,
  actor: Actor,
  id: string,
  offset: number,
  body: Readable,
): Promise<FileRow> {
  const file = await requireOwnUpload(deps, actor, id);
  const now = deps.clock.now();
  if (file.completed_at)
    throw new AppError(ErrorCode.uploadOffsetMismatch, 'The upload is already complete.', {
      offset: file.upload_offset,
    });
  if (file.locked_until && file.locked_until > now)
    throw new AppError(
      ErrorCode.uploadLocked,
      'Another request is writing to this upload; try again shortly.',
    );
  if (offset !== file.upload_offset)
    throw new AppError(ErrorCode.uploadOffsetMismatch, 'Upload-Offset does not match the stored offset.', {
      offset: file.upload_offset,
    });
  // How long a PATCH's lock lasts without a heartbeat; a killed process's lock expires after this.
  const lockMs = deps.config.uploadLockSeconds * 1000;
  const token = crypto.randomUUID();
  const key = segmentKey(file.id, offset, token);
  const locked = await acquireUploadLock(deps.db, file, {
    token,
    until: new Date(now.getTime() + lockMs),
    pendingKey: key,
    now,
  });
  if (!locked)
    throw new AppError(
      ErrorCode.uploadLocked,
      'Another request is writing to this upload; try again shortly.',
    );
  // A writer that died while holding the lock may have left its blob behind.
  if (file.pending_key) await deps.blobs.delete(file.pending_key);

  let lost = false;
  const heartbeat = setInterval(() => {
    extendUploadLock(deps.db, file.id, token, new Date(deps.clock.now().getTime() + lockMs)).then(
      (kept) => {
        if (!kept) lost = true;
      },
      () => undefined,
    );
  }, lockMs / 3);
  let written: number;
  try {
    const source = offset === 0 ? Readable.from(withVersionByteCheck(body)) : body;
    written = await deps.blobs.putStream(key, source, { maxSize: file.length - offset });
  } catch (error) {
    clearInterval(heartbeat);
    await releaseUploadLock(deps.db, file.id, token, deps.clock.now());
    await deps.blobs.delete(key);
    if (error instanceof BlobSizeError)
      throw new AppError(ErrorCode.payloadTooLarge, 'The upload would go beyond its declared length.');
    throw error;
  }
  clearInterval(heartbeat);
  const committed = lost
    ? undefined
    : await commitSegment(deps.db, file, token, { size: written, blobKey: key }, deps.clock.now());
  if (committed === undefined) {
    await deps.blobs.delete(key);
    throw new AppError(
      ErrorCode.uploadLocked,
      'The upload was taken over by another request; ask for the offset and resume.',
    );
  }
  if (written === 0) await deps.blobs.delete(key);
  if (committed === file.length)
    await deps.audit.record({
      action: AuditAction.fileUploaded,
      outcome: 'success',
      organisationId: actor.organisationId,
      actor: auditActor(actor),
      object: { type: 'file', id: file.id },
      details: { bytes: file.length },
    });
  return {
    ...file,
    upload_offset: committed,
    completed_at: committed === file.length ? deps.clock.now() : null,
  };
}

/**
 * Deletes a file (upload or complete) with its blobs and gives its bytes back to the quota.
 * Used by tus termination, the abandoned-upload sweep, and the messages feature's revoke and
 * expiry (`deleteFilesOfItems`).
 */
export async function deleteFile(deps: Deps, file: FileRow): Promise<boolean> {
  const segments = await selectSegments(deps.db, file.id);
  if (!(await deleteFileRow(deps.db, file))) return false;
  await releaseUsage(deps.db, file.organisation_id, file.length);
  for (const segment of segments) await deps.blobs.delete(segment.blob_key);
  if (file.pending_key) await deps.blobs.delete(file.pending_key);
  return true;
}

/** tus termination: the owner abandons an unfinished upload. */
export async function terminateUpload(deps: Deps, actor: Actor, id: string): Promise<void> {
  const file = await requireOwnUpload(deps, actor, id);
  if (file.completed_at)
    throw new AppError(ErrorCode.conflict, 'A complete file is removed with its message, not here.');
  if (file.locked_until && file.locked_until > deps.clock.now())
    throw new AppError(
      ErrorCode.uploadLocked,
      'Another request is writing to this upload; try again shortly.',
    );
  if (!(await deleteFile(deps, file)))
    throw new AppError(ErrorCode.uploadLocked, 'The upload changed meanwhile; try again.');
}
