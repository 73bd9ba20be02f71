import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import {
  type FileContent,
  findAttachmentItem,
  findItemOfFile,
  isNewDownload,
  openItemFile,
  readAttachment,
} from '../files/index.ts';
import { insertEvents } from './event-store.ts';
import { requireStaffAccess, type StaffAccess } from './policy.ts';
import { selectItemConversationId, selectItemKeys } from './store.ts';

/**
 * Attachments and large files of a conversation's items. A reader gets one only if its item is
 * in this conversation and they hold a wrapped key to it; anything else is "not found" (never
 * "exists but not yours"). Every download is a receipt and an audit event.
 */

async function canOpenItem(deps: Deps, conversationId: string, itemId: string, holderIds: string[]) {
  if ((await selectItemConversationId(deps.db, itemId)) !== conversationId) return false;
  return (await selectItemKeys(deps.db, [itemId], holderIds)).length > 0;
}

/** An attachment's ciphertext for a reader holding one of `holderIds`. */
export async function openAttachment(
  deps: Deps,
  conversationId: string,
  attachmentId: string,
  holderIds: string[],
) {
  const attachment = await findAttachmentItem(deps, attachmentId);
  if (!attachment || !(await canOpenItem(deps, conversationId, attachment.itemId, holderIds)))
    throw new AppError(ErrorCode.notFound, 'No such attachment.');
  return readAttachment(deps, attachment.blobKey);
}

/** A large file's ciphertext (streamed, with `Range`) for a reader holding one of `holderIds`. */
export async function openConversationFile(
  deps: Deps,
  conversationId: string,
  fileId: string,
  holderIds: string[],
  rangeHeader: string | undefined,
): Promise<FileContent> {
  const itemId = await findItemOfFile(deps, fileId);
  if (!itemId || !(await canOpenItem(deps, conversationId, itemId, holderIds)))
    throw new AppError(ErrorCode.notFound, 'No such file.');
  return openItemFile(deps, fileId, rangeHeader);
}

/** A download receipt for one participant. */
export async function recordDownload(
  deps: Deps,
  conversationId: string,
  participantId: string,
  what: { attachmentId: string } | { fileId: string },
) {
  await insertEvents(deps.db, [
    {
      conversation_id: conversationId,
      participant_id: participantId,
      type: 'downloaded',
      ...('fileId' in what ? { file_id: what.fileId } : { attachment_id: what.attachmentId }),
      occurred_at: deps.clock.now(),
    },
  ]);
}

/**
 * A staff reader's download: a receipt for the participant row that stands for them (not the
 * sender's own) and an audit event naming the attachment or file.
 */
async function recordStaffDownload(
  deps: Deps,
  actor: Actor,
  access: StaffAccess,
  what: { attachmentId: string } | { fileId: string },
  origin: RequestOrigin,
  details: Record<string, unknown>,
) {
  const viewer = access.viewerParticipants.find((p) => p.role !== 'sender');
  if (viewer) await recordDownload(deps, access.conversation.id, viewer.id, what);
  await deps.audit.record({
    action: 'fileId' in what ? AuditAction.fileDownloaded : AuditAction.attachmentDownloaded,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object:
      'fileId' in what ? { type: 'file', id: what.fileId } : { type: 'attachment', id: what.attachmentId },
    details,
  });
}

/** An attachment ciphertext for a staff reader who holds a key to its item. */
export async function getStaffAttachment(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  attachmentId: string,
  origin: RequestOrigin,
) {
  const access = await requireStaffAccess(deps, actor, conversationId);
  const data = await openAttachment(deps, conversationId, attachmentId, access.holderIds);
  await recordStaffDownload(deps, actor, access, { attachmentId }, origin, { conversationId });
  return data;
}

/**
 * A large file's ciphertext for a staff reader who holds a key to its item (directly or through
 * a team), streamed, with `Range`. Files end with the conversation: after expiry 410.
 */
export async function getStaffFile(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  fileId: string,
  rangeHeader: string | undefined,
  origin: RequestOrigin,
): Promise<FileContent> {
  const access = await requireStaffAccess(deps, actor, conversationId);
  const now = deps.clock.now();
  if (access.conversation.purged_at || access.conversation.expires_at <= now)
    throw new AppError(ErrorCode.messageExpired, 'This conversation has expired; its files are deleted.');
  const content = await openConversationFile(deps, conversationId, fileId, access.holderIds, rangeHeader);
  if (isNewDownload(content))
    await recordStaffDownload(deps, actor, access, { fileId }, origin, {
      conversationId,
      range: content.range ? 'from-start' : 'whole',
    });
  return content;
}
