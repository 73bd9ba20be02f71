import type { ConversationDetail, Item, KeyHolder, Participant } from '@zegel/protocol/api';
import { toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { type FileContent, isNewDownload } from '../files/download.ts';
import { linkFilesToItem, listFilesOfItems, requireLinkableFiles } from '../files/message-files.ts';
import { maskPhone } from '../guest-access/phone.ts';
import { NOTIFY_JOB } from './jobs.ts';
import { deleteConversationFiles, openConversationFile } from './message-files.ts';
import { checkItemCiphertext, checkWrappedKeys } from './send-message.ts';
import {
  attachUploads,
  countItems,
  deleteGuestAccess,
  deleteItemKeysOfHolders,
  insertEvents,
  insertItem,
  type ParticipantRow,
  revokeGuests,
  selectAttachmentsOfItems,
  selectAttachmentWithItem,
  selectConversation,
  selectConversationsByIds,
  selectEvents,
  selectItemKeys,
  selectItems,
  selectMailboxIds,
  selectMessageSettings,
  selectParticipants,
  selectTeamIdsOfUser,
  updateConversation,
  updateParticipant,
} from './store.ts';
import { requireOwnUploads } from './uploads.ts';

type ConversationRow = NonNullable<Awaited<ReturnType<typeof selectConversation>>>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const DAY_MS = 86_400_000;

/** An item's time: now, but after the conversation's last item, so items keep their order. */
export function itemTime(now: Date, lastActivity: Date): Date {
  return now.getTime() > lastActivity.getTime() ? now : new Date(lastActivity.getTime() + 1);
}

/** A guest's state from the rows: revoked, expired, locked or active. */
export function participantState(
  p: Pick<ParticipantRow, 'revoked_at' | 'locked_at' | 'kind'>,
  conversation: Pick<ConversationRow, 'expires_at' | 'purged_at'>,
  now: Date,
) {
  if (p.revoked_at) return 'revoked' as const;
  if (p.kind === 'guest' && (conversation.purged_at || conversation.expires_at <= now))
    return 'expired' as const;
  if (p.locked_at) return 'locked' as const;
  return 'active' as const;
}

export function presentParticipant(
  p: ParticipantRow,
  conversation: Pick<ConversationRow, 'expires_at' | 'purged_at'>,
  downloads: {
    participant_id: string | null;
    attachment_id: string | null;
    file_id: string | null;
    occurred_at: Date;
  }[],
  now: Date,
): Participant {
  return {
    id: p.id,
    kind: p.kind,
    role: p.role,
    refId: p.user_id ?? p.team_id ?? null,
    name:
      p.kind === 'user' ? (p.user_name ?? '') : p.kind === 'team' ? (p.team_name ?? '') : (p.address ?? ''),
    address: p.address,
    method: p.method,
    phoneHint: p.phone ? maskPhone(p.phone) : null,
    state: participantState(p, conversation, now),
    sentAt: iso(p.sent_at),
    deliveredAt: iso(p.delivered_at),
    bouncedAt: iso(p.bounced_at),
    bounceReason: p.bounce_reason,
    verifiedAt: iso(p.verified_at),
    openedAt: iso(p.opened_at),
    lastOpenedAt: iso(p.last_opened_at),
    revokedAt: iso(p.revoked_at),
    lockedAt: iso(p.locked_at),
    noCodeAt: iso(p.no_code_at),
    downloads: downloads
      .filter((d) => d.participant_id === p.id && d.attachment_id)
      .map((d) => ({ attachmentId: d.attachment_id as string, at: d.occurred_at.toISOString() })),
    fileDownloads: downloads
      .filter((d) => d.participant_id === p.id && d.file_id)
      .map((d) => ({ fileId: d.file_id as string, at: d.occurred_at.toISOString() })),
  };
}

/** Items with the wrapped keys of the given holders, their attachments and their large files. */
export async function loadItems(
  deps: Deps,
  conversationIds: string[],
  holderIds: string[],
  onlyFirst = false,
): Promise<(Item & { conversationId: string })[]> {
  const items = await selectItems(deps.db, conversationIds, onlyFirst);
  const ids = items.map((i) => i.id);
  const [keys, attachments, files] = await Promise.all([
    selectItemKeys(deps.db, ids, holderIds),
    selectAttachmentsOfItems(deps.db, ids),
    listFilesOfItems(deps, ids),
  ]);
  return items.map((i) => ({
    conversationId: i.conversation_id,
    id: i.id,
    author: {
      kind: i.author_kind,
      id: (i.author_user_id ?? i.author_participant_id) as string,
      name: i.author_kind === 'user' ? (i.author_user_name ?? '') : (i.author_address ?? ''),
      ...(i.on_behalf_of_team_id
        ? { team: { id: i.on_behalf_of_team_id, name: i.on_behalf_of_team_name ?? '' } }
        : {}),
    },
    createdAt: i.created_at.toISOString(),
    ciphertext: toBase64Url(i.ciphertext),
    wrappedKeys: keys
      .filter((k) => k.item_id === i.id)
      .map((k) => ({ holderId: k.holder_id, wrappedKey: toBase64Url(k.wrapped_key) })),
    attachments: attachments.filter((a) => a.item_id === i.id).map((a) => ({ id: a.id, size: a.size })),
    files: files.filter((f) => f.itemId === i.id).map((f) => ({ id: f.id, size: f.size })),
  }));
}

/** Who the viewer is in a conversation: sender, a direct recipient, a member of a recipient team. */
interface Access {
  conversation: ConversationRow;
  participants: ParticipantRow[];
  isSender: boolean;
  holderIds: string[];
  /** The participant rows that stand for the viewer (their own, or their teams'). */
  viewerParticipants: ParticipantRow[];
}

async function requireAccess(deps: Deps, actor: Actor, conversationId: string): Promise<Access> {
  const conversation = await selectConversation(deps.db, conversationId);
  if (!conversation || conversation.organisation_id !== actor.organisationId)
    throw new AppError(ErrorCode.notFound, 'No such conversation.');
  const participants = await selectParticipants(deps.db, [conversationId]);
  const teamIds = await selectTeamIdsOfUser(deps.db, actor.userId);
  const viewerParticipants = participants.filter(
    (p) => p.user_id === actor.userId || (p.team_id && teamIds.includes(p.team_id)),
  );
  if (viewerParticipants.length === 0) throw new AppError(ErrorCode.notFound, 'No such conversation.');
  return {
    conversation,
    participants,
    isSender: conversation.sender_user_id === actor.userId,
    holderIds: [actor.userId, ...teamIds],
    viewerParticipants,
  };
}

function keyHolders(participants: ParticipantRow[], conversation: ConversationRow, now: Date): KeyHolder[] {
  const holders: KeyHolder[] = [];
  for (const p of participants) {
    if (p.kind === 'user' && p.user_public_key && !holders.some((h) => h.holderId === p.user_id))
      holders.push({
        holderId: p.user_id as string,
        kind: 'user',
        name: p.user_name ?? '',
        publicKey: p.user_public_key,
      });
    if (p.kind === 'team' && p.team_public_key)
      holders.push({
        holderId: p.team_id as string,
        kind: 'team',
        name: p.team_name ?? '',
        publicKey: p.team_public_key,
      });
    if (
      p.kind === 'guest' &&
      p.public_key &&
      participantState(p, conversation, now) !== 'revoked' &&
      participantState(p, conversation, now) !== 'expired'
    )
      holders.push({ holderId: p.id, kind: 'guest', name: p.address ?? '', publicKey: p.public_key });
  }
  return holders;
}

/** Bcc recipients are the sender's business only. */
function visibleParticipants(participants: ParticipantRow[], isSender: boolean, actor: Actor) {
  return participants.filter((p) => isSender || p.role !== 'bcc' || p.user_id === actor.userId);
}

export async function getConversation(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  origin: RequestOrigin,
): Promise<ConversationDetail> {
  const access = await requireAccess(deps, actor, conversationId);
  const now = deps.clock.now();
  for (const p of access.viewerParticipants.filter((v) => v.role !== 'sender')) {
    await updateParticipant(deps.db, p.id, {
      last_opened_at: now,
      ...(p.opened_at ? {} : { opened_at: now }),
    });
    if (!p.opened_at)
      await insertEvents(deps.db, [
        { conversation_id: conversationId, participant_id: p.id, type: 'opened', occurred_at: now },
      ]);
  }
  await deps.audit.record({
    action: AuditAction.messageRead,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
  });
  const participants = await selectParticipants(deps.db, [conversationId]);
  const downloads = await selectEvents(deps.db, [conversationId], ['downloaded']);
  const items = await loadItems(deps, [conversationId], access.holderIds);
  const c = access.conversation;
  return {
    id: c.id,
    createdAt: c.created_at.toISOString(),
    expiresAt: c.expires_at.toISOString(),
    sender: { userId: c.sender_user_id, name: c.sender_name },
    participants: visibleParticipants(participants, access.isSender, actor).map((p) =>
      presentParticipant(p, c, downloads, now),
    ),
    items: items.map(({ conversationId: _, ...item }) => item),
    keyHolders: keyHolders(participants, c, now),
    canManage: access.isSender,
  };
}

export async function listConversations(
  deps: Deps,
  actor: Actor,
  query: { box: 'inbox' | 'sent' | 'team'; teamId?: string; before?: string },
  origin: RequestOrigin,
) {
  let box: Parameters<typeof selectMailboxIds>[1];
  const teamIds = await selectTeamIdsOfUser(deps.db, actor.userId);
  if (query.box === 'team') {
    if (!query.teamId || !teamIds.includes(query.teamId))
      throw new AppError(ErrorCode.notFound, 'No such team mailbox.');
    box = { kind: 'team', teamId: query.teamId };
  } else box = { kind: query.box, userId: actor.userId };
  const ids = await selectMailboxIds(deps.db, box, query.before ? new Date(query.before) : undefined, 50);
  const [conversations, participants, downloads, firstItems] = await Promise.all([
    selectConversationsByIds(deps.db, ids),
    selectParticipants(deps.db, ids),
    selectEvents(deps.db, ids, ['downloaded']),
    loadItems(deps, ids, [actor.userId, ...teamIds], true),
  ]);
  const counts = await countItems(deps.db, ids);
  // A mailbox list shows who wrote to whom (guest addresses): reading it is recorded too.
  await deps.audit.record({
    action: AuditAction.mailboxRead,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: {
      type: box.kind === 'team' ? 'team_mailbox' : 'mailbox',
      id: box.kind === 'team' ? box.teamId : actor.userId,
    },
    details: { box: query.box, conversations: ids.length },
  });
  const now = deps.clock.now();
  return {
    conversations: conversations.flatMap((c) => {
      const first = firstItems.find((i) => i.conversationId === c.id);
      if (!first) return [];
      const { conversationId: _, ...firstItem } = first;
      const isSender = c.sender_user_id === actor.userId;
      return [
        {
          id: c.id,
          createdAt: c.created_at.toISOString(),
          lastActivityAt: c.last_activity_at.toISOString(),
          expiresAt: c.expires_at.toISOString(),
          sender: { userId: c.sender_user_id, name: c.sender_name },
          firstItem,
          itemCount: Number(counts.find((n) => n.conversation_id === c.id)?.n ?? 1),
          participants: visibleParticipants(
            participants.filter((p) => p.conversation_id === c.id),
            isSender,
            actor,
          ).map((p) => presentParticipant(p, c, downloads, now)),
        },
      ];
    }),
  };
}

/** A staff reply or follow-up: wrapped to exactly the conversation's current key holders. */
export async function addStaffItem(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  input: {
    itemId: string;
    item: string;
    attachments: { id: string }[];
    files?: { id: string }[] | undefined;
    wrappedKeys: { holderId: string; wrappedKey: string }[];
  },
  origin: RequestOrigin,
) {
  const access = await requireAccess(deps, actor, conversationId);
  const now = itemTime(deps.clock.now(), access.conversation.last_activity_at);
  if (access.conversation.expires_at <= now)
    throw new AppError(ErrorCode.messageExpired, 'This conversation has expired.');
  const ciphertext = checkItemCiphertext(input.item);
  const holders = keyHolders(access.participants, access.conversation, now);
  // The author always keeps a key of their own, also when they are here only through a team.
  const wrapped = checkWrappedKeys(
    input.wrappedKeys,
    new Set([...holders.map((h) => h.holderId), actor.userId]),
  );
  if (wrapped.missing.length || wrapped.extra.length)
    throw new AppError(
      ErrorCode.validationFailed,
      'Wrap the item key to exactly the conversation’s key holders and yourself.',
      { missing: wrapped.missing, extra: wrapped.extra },
    );
  const attachmentIds = input.attachments.map((a) => a.id);
  await requireOwnUploads(
    deps,
    { organisationId: actor.organisationId, userId: actor.userId },
    attachmentIds,
  );
  const owner = { organisationId: actor.organisationId, userId: actor.userId };
  const fileIds = (input.files ?? []).map((f) => f.id);
  await requireLinkableFiles(deps, owner, fileIds);
  // A member who is here only through a team writes in the team's name (the audit names them).
  const direct = access.viewerParticipants.some((p) => p.user_id === actor.userId);
  const onBehalfOfTeamId = direct
    ? null
    : (access.viewerParticipants.find((p) => p.team_id)?.team_id ?? null);
  const others = access.participants.filter(
    (p) =>
      (p.role !== 'sender' || p.kind === 'guest') &&
      p.user_id !== actor.userId &&
      participantState(p, access.conversation, now) === 'active',
  );
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertItem(
        trx,
        {
          id: input.itemId,
          conversation_id: conversationId,
          author_kind: 'user',
          author_user_id: actor.userId,
          author_participant_id: null,
          on_behalf_of_team_id: onBehalfOfTeamId,
          created_at: now,
          ciphertext,
        },
        wrapped.keys,
      );
      await attachUploads(trx, input.itemId, attachmentIds);
      await linkFilesToItem(trx, owner, input.itemId, fileIds);
      for (const p of others)
        await deps.jobs.enqueue(NOTIFY_JOB, { participantId: p.id, itemId: input.itemId }, {}, trx);
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new AppError(ErrorCode.conflict, 'This item id is already used.');
    throw error;
  }
  await deps.audit.record({
    action: AuditAction.messageItemAdded,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
    details: {
      itemId: input.itemId,
      attachments: attachmentIds.length,
      files: fileIds.length,
      ...(onBehalfOfTeamId ? { onBehalfOfTeamId } : {}),
    },
  });
  return { itemId: input.itemId, createdAt: now.toISOString() };
}

/** An attachment ciphertext for a staff reader who holds a key to its item. */
export async function getStaffAttachment(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  attachmentId: string,
  origin: RequestOrigin,
) {
  const access = await requireAccess(deps, actor, conversationId);
  const attachment = await selectAttachmentWithItem(deps.db, attachmentId);
  if (!attachment || attachment.conversation_id !== conversationId)
    throw new AppError(ErrorCode.notFound, 'No such attachment.');
  const keys = await selectItemKeys(deps.db, [attachment.item_id as string], access.holderIds);
  if (keys.length === 0) throw new AppError(ErrorCode.notFound, 'No such attachment.');
  const data = await deps.blobs.get(attachment.blob_key);
  if (!data) throw new AppError(ErrorCode.notFound, 'The attachment is no longer stored.');
  await recordStaffDownload(deps, actor, access, { attachmentId }, origin, { conversationId });
  return data;
}

/**
 * A staff reader's download: a receipt for the participant row that stands for them (not the
 * sender's own) and an audit event naming the attachment or file.
 */
async function recordStaffDownload(
  deps: Deps,
  actor: Actor,
  access: Access,
  what: { attachmentId: string } | { fileId: string },
  origin: RequestOrigin,
  details: Record<string, unknown>,
) {
  const viewer = access.viewerParticipants.find((p) => p.role !== 'sender');
  if (viewer)
    await insertEvents(deps.db, [
      {
        conversation_id: access.conversation.id,
        participant_id: viewer.id,
        type: 'downloaded',
        ...('fileId' in what ? { file_id: what.fileId } : { attachment_id: what.attachmentId }),
        occurred_at: deps.clock.now(),
      },
    ]);
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
  const access = await requireAccess(deps, actor, conversationId);
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

async function requireManager(deps: Deps, actor: Actor, conversationId: string) {
  const access = await requireAccess(deps, actor, conversationId);
  if (!access.isSender)
    throw new AppError(ErrorCode.forbidden, 'Only the sender can change this conversation.');
  return access;
}

/** Revokes guests (some, or all): their server share, wrapped keys and sessions are deleted. */
export async function revokeRecipients(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  participantIds: string[] | undefined,
  origin: RequestOrigin,
) {
  const access = await requireManager(deps, actor, conversationId);
  const guests = access.participants.filter((p) => p.kind === 'guest');
  const ids = participantIds ?? guests.map((g) => g.id);
  const unknown = ids.filter((id) => !guests.some((g) => g.id === id));
  if (unknown.length)
    throw new AppError(
      ErrorCode.validationFailed,
      'Only external recipients of this conversation can be revoked.',
      { participantIds: unknown },
    );
  const now = deps.clock.now();
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const done = await revokeGuests(trx, conversationId, ids, now);
    await deleteItemKeysOfHolders(trx, conversationId, ids);
    await deleteGuestAccess(trx, ids);
    await insertEvents(
      trx,
      done.map((id) => ({
        conversation_id: conversationId,
        participant_id: id,
        type: 'revoked',
        occurred_at: now,
      })),
    );
    return done;
  });
  // Nobody left who may read (every recipient a guest, all revoked): the files go too, now that
  // the guests' key material is gone. Staff recipients keep files until expiry.
  const stillReading = access.participants.filter(
    (p) => p.role !== 'sender' && (p.kind !== 'guest' || (!p.revoked_at && !ids.includes(p.id))),
  );
  const deletedFiles = stillReading.length === 0 ? await deleteConversationFiles(deps, conversationId) : 0;
  for (const id of revoked) {
    await deps.audit.record({
      action: AuditAction.messageRevoked,
      outcome: 'success',
      organisationId: actor.organisationId,
      actor: auditActor(actor),
      accessPoint: origin,
      subjectPerson: guests.find((g) => g.id === id)?.address ?? null,
      object: { type: 'conversation', id: conversationId },
      details: { participantId: id, ...(deletedFiles ? { deletedFiles } : {}) },
    });
  }
  return { ok: true as const };
}

/** Moves the expiry (earlier or later) while key material still exists. */
export async function changeExpiry(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  expiresAt: string,
  origin: RequestOrigin,
) {
  const access = await requireManager(deps, actor, conversationId);
  const now = deps.clock.now();
  if (access.conversation.purged_at || access.conversation.expires_at <= now)
    throw new AppError(ErrorCode.messageExpired, 'This conversation has expired; its keys are gone.');
  const next = new Date(expiresAt);
  if (
    next.getTime() <= now.getTime() ||
    next.getTime() > access.conversation.created_at.getTime() + MessageLimits.maxExpiryDays * DAY_MS
  )
    throw new AppError(
      ErrorCode.validationFailed,
      `The expiry must be in the future and at most ${MessageLimits.maxExpiryDays} days after sending.`,
    );
  await updateConversation(deps.db, conversationId, { expires_at: next });
  await insertEvents(deps.db, [
    { conversation_id: conversationId, participant_id: null, type: 'expiry_changed', occurred_at: now },
  ]);
  await deps.audit.record({
    action: AuditAction.messageExpiryChanged,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
    details: { expiresAt: next.toISOString() },
  });
  return { ok: true as const };
}

/** Proof of delivery: participants with receipts and the whole event log. */
export async function getDeliveryReport(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  origin: RequestOrigin,
) {
  const access = await requireManager(deps, actor, conversationId);
  const now = deps.clock.now();
  const events = await selectEvents(deps.db, [conversationId]);
  const org = await selectMessageSettings(deps.db, actor.organisationId);
  const c = access.conversation;
  const nameOf = (id: string | null) => {
    const p = access.participants.find((x) => x.id === id);
    return p ? (p.address ?? p.user_name ?? p.team_name ?? null) : null;
  };
  await deps.audit.record({
    action: AuditAction.messageReportRead,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
  });
  return {
    conversationId,
    generatedAt: now.toISOString(),
    organisation: org?.name ?? '',
    sender: { userId: c.sender_user_id, name: c.sender_name },
    createdAt: c.created_at.toISOString(),
    expiresAt: c.expires_at.toISOString(),
    participants: access.participants
      .filter((p) => p.role !== 'sender')
      .map((p) =>
        presentParticipant(
          p,
          c,
          events.filter((e) => e.type === 'downloaded'),
          now,
        ),
      ),
    events: events.map((e) => ({
      at: e.occurred_at.toISOString(),
      type: e.type,
      participantId: e.participant_id,
      recipient: nameOf(e.participant_id),
      attachmentId: e.attachment_id,
      fileId: e.file_id,
    })),
  };
}
