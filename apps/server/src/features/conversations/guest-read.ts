import type { GuestConversation } from '@zegel/protocol/api';
import { toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { type FileContent, isNewDownload, type Uploader } from '../files/index.ts';
import { type GuestCookies, serverShareOf } from '../guest-access/index.ts';
import { appendItem, itemTime } from './append-item.ts';
import { openAttachment, openConversationFile, recordDownload } from './downloads.ts';
import { auditGuest, requireGuestSession } from './guest-context.ts';
import { loadItems } from './items.ts';
import { loadParticipants, replyRecipients } from './participants.ts';
import { recordOpened } from './read.ts';

/** The guest's view: items they hold a key for, the server share, and whom a reply goes to. Records "opened". */
export async function getGuestConversation(
  deps: Deps,
  recipientId: string,
  cookies: GuestCookies,
  origin: RequestOrigin,
): Promise<GuestConversation> {
  const guest = await requireGuestSession(deps, recipientId, cookies);
  const { participant, conversation, participants, org } = guest;
  const serverShare = await serverShareOf(deps, recipientId);
  if (!serverShare) throw new AppError(ErrorCode.messageExpired, 'This message is no longer available.');
  const items = (await loadItems(deps, [conversation.id], [recipientId], participants)).filter(
    (i) => i.wrappedKeys.length > 0,
  );
  await recordOpened(deps, conversation.id, [participant], deps.clock.now());
  await auditGuest(deps, guest, AuditAction.guestOpened, 'success', origin);
  return {
    conversationId: conversation.id,
    recipientId,
    serverShare: toBase64Url(serverShare),
    guestPublicKey: participant.public_key as string,
    senderName: conversation.staff_name,
    organisationName: org.name,
    expiresAt: conversation.expires_at.toISOString(),
    items: items.map(({ conversationId: _, ...item }) => ({
      ...item,
      // The person sees the team that answered, not which member wrote it.
      author: item.author.team ? { kind: item.author.kind, ...item.author.team } : item.author,
    })),
    replyRecipients: replyRecipients(participants),
  };
}

/** An attachment ciphertext for the verified guest, if they hold a key to its item. Records "downloaded". */
export async function getGuestAttachment(
  deps: Deps,
  recipientId: string,
  attachmentId: string,
  cookies: GuestCookies,
  origin: RequestOrigin,
) {
  const guest = await requireGuestSession(deps, recipientId, cookies);
  const data = await openAttachment(deps, guest.conversation.id, attachmentId, [recipientId]);
  await recordDownload(deps, guest.conversation.id, recipientId, { attachmentId });
  await auditGuest(deps, guest, AuditAction.attachmentDownloaded, 'success', origin, { attachmentId });
  return data;
}

/**
 * A large file's ciphertext for the verified guest, if they hold a key to its item; streamed,
 * with `Range`. Records "downloaded" (with the file id) for a download from the first byte.
 */
export async function getGuestFile(
  deps: Deps,
  recipientId: string,
  fileId: string,
  rangeHeader: string | undefined,
  cookies: GuestCookies,
  origin: RequestOrigin,
): Promise<FileContent> {
  const guest = await requireGuestSession(deps, recipientId, cookies);
  const content = await openConversationFile(deps, guest.conversation.id, fileId, [recipientId], rangeHeader);
  if (isNewDownload(content)) {
    await recordDownload(deps, guest.conversation.id, recipientId, { fileId });
    await auditGuest(deps, guest, AuditAction.fileDownloaded, 'success', origin, {
      fileId,
      range: content.range ? 'from-start' : 'whole',
    });
  }
  return content;
}

/** The verified guest's own upload (a reply attachment). */
export async function requireGuestUploader(
  deps: Deps,
  recipientId: string,
  cookies: GuestCookies,
): Promise<Uploader> {
  const guest = await requireGuestSession(deps, recipientId, cookies);
  return { organisationId: guest.conversation.organisation_id, participantId: recipientId };
}

export interface GuestReplyInput {
  itemId: string;
  item: string;
  attachments: { id: string }[];
  wrappedKeys: { holderId: string; wrappedKey: string }[];
}

/** A reply from the guest, encrypted in their browser to the staff side and to themselves. */
export async function addGuestReply(
  deps: Deps,
  recipientId: string,
  input: GuestReplyInput,
  cookies: GuestCookies,
  origin: RequestOrigin,
) {
  const guest = await requireGuestSession(deps, recipientId, cookies);
  const { conversation } = guest;
  const now = itemTime(deps.clock.now(), conversation.last_activity_at);
  const attachmentIds = input.attachments.map((a) => a.id);
  const result = await appendItem(deps, {
    conversationId: conversation.id,
    itemId: input.itemId,
    author: { kind: 'guest', organisationId: conversation.organisation_id, participantId: recipientId },
    createdAt: now,
    item: input.item,
    wrappedKeys: input.wrappedKeys,
    attachmentIds,
    fileIds: [],
    async expectedHolders(tx) {
      const participants = await loadParticipants(tx, [conversation.id]);
      const me = participants.find((p) => p.id === recipientId);
      if (!me || me.revoked_at)
        throw new AppError(ErrorCode.messageRevoked, 'The sender has withdrawn this message.');
      return new Set([...replyRecipients(participants).map((r) => r.holderId), recipientId]);
    },
    wrongWrapping: ({ missing, extra }) =>
      new AppError(
        ErrorCode.validationFailed,
        'Encrypt the reply to exactly the listed recipients and yourself.',
        {
          missing,
          extra,
        },
      ),
    notify: [],
    senderNotice: { participantId: recipientId, notice: 'replied' },
    events: [
      { conversation_id: conversation.id, participant_id: recipientId, type: 'replied', occurred_at: now },
    ],
  });
  await auditGuest(deps, guest, AuditAction.guestReplied, 'success', origin, {
    itemId: input.itemId,
    attachments: attachmentIds.length,
  });
  return result;
}
