import { fromBase64Url, looksLikeContentV1 } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import {
  attachUploadsToItem,
  type FileOwner,
  linkFilesToItem,
  requireLinkableFiles,
  requireOwnAttachments,
  type Uploader,
} from '../files/index.ts';
import { type EventInsert, insertEvents } from './event-store.ts';
import { notifyRecipientJob, notifySenderJob, type SenderNotice } from './job-types.ts';
import { insertItem, lockConversation } from './store.ts';

/** Checks the item ciphertext is content format v1 and within limits, without reading it. */
export function checkItemCiphertext(item: string): Uint8Array<ArrayBuffer> {
  const data = fromBase64Url(item) as Uint8Array<ArrayBuffer>;
  if (data.length > MessageLimits.maxItemCiphertextBytes)
    throw new AppError(ErrorCode.payloadTooLarge, 'The message is too large.');
  if (!looksLikeContentV1(data))
    throw new AppError(ErrorCode.validationFailed, 'The item is not encrypted content (format v1).');
  return data;
}

export interface WrappedKeyCheck {
  missing: string[];
  extra: string[];
  keys: { holderId: string; wrappedKey: Uint8Array }[];
}

/** Checks the wrapped keys name exactly the expected holders, once each. */
export function checkWrappedKeys(
  wrappedKeys: { holderId: string; wrappedKey: string }[],
  expected: ReadonlySet<string>,
): WrappedKeyCheck {
  const seen = new Set<string>();
  const extra: string[] = [];
  for (const key of wrappedKeys) {
    if (!expected.has(key.holderId) || seen.has(key.holderId)) extra.push(key.holderId);
    seen.add(key.holderId);
  }
  return {
    missing: [...expected].filter((id) => !seen.has(id)),
    extra,
    keys: wrappedKeys.map((k) => ({ holderId: k.holderId, wrappedKey: fromBase64Url(k.wrappedKey) })),
  };
}

export type ItemAuthor =
  | { kind: 'user'; organisationId: string; userId: string; onBehalfOfTeamId: string | null }
  | { kind: 'guest'; organisationId: string; participantId: string };

/** A new item, checked and stored by `appendItem`. */
export interface NewItem {
  conversationId: string;
  itemId: string;
  author: ItemAuthor;
  createdAt: Date;
  /** base64url ciphertext and its content key wrapped per holder, from the author's browser. */
  item: string;
  wrappedKeys: { holderId: string; wrappedKey: string }[];
  attachmentIds: string[];
  fileIds: string[];
  /** Whom the key must be wrapped to, read after the conversation is locked (a revoke waits). */
  expectedHolders(tx: Deps): Promise<ReadonlySet<string>>;
  /** The error for keys wrapped to anyone else, or to too few. */
  wrongWrapping(check: WrappedKeyCheck): AppError;
  /** Recipients to mail (with a sealed link secret for a guest's first mail). */
  notify: { participantId: string; sealedLinkSecret?: string; exceptUserId?: string }[];
  /** A notice to the conversation's starter about this participant. */
  senderNotice?: { participantId: string; notice: SenderNotice };
  events: EventInsert[];
  /** Work of the calling feature that must commit with the item (a new conversation first). */
  before?(tx: Deps): Promise<void>;
}

/**
 * The one way an item enters a conversation, for every feature: the ciphertext and its wrapping
 * are checked, the author's attachments and files must be theirs and unused, and then one
 * transaction — with the conversation row locked, so a revoke and an append never interleave —
 * stores the item, its keys, attachments, files, events and notification jobs. An item id used
 * before is `409 conflict`, and nothing is stored.
 */
export async function appendItem(deps: Deps, item: NewItem): Promise<{ itemId: string; createdAt: string }> {
  const ciphertext = checkItemCiphertext(item.item);
  const uploader: Uploader =
    item.author.kind === 'user'
      ? { organisationId: item.author.organisationId, userId: item.author.userId }
      : { organisationId: item.author.organisationId, participantId: item.author.participantId };
  await requireOwnAttachments(deps, uploader, item.attachmentIds);
  const fileOwner: FileOwner | undefined = 'userId' in uploader ? uploader : undefined;
  if (fileOwner) await requireLinkableFiles(deps, fileOwner, item.fileIds);
  else if (item.fileIds.length)
    throw new AppError(ErrorCode.validationFailed, 'Guests cannot send large files.');
  await deps.db.transaction().execute(async (trx) => {
    const tx: Deps = { ...deps, db: trx };
    if (item.before) await item.before(tx);
    else await lockConversation(trx, item.conversationId);
    const wrapping = checkWrappedKeys(item.wrappedKeys, await item.expectedHolders(tx));
    if (wrapping.missing.length || wrapping.extra.length) throw item.wrongWrapping(wrapping);
    const stored = await insertItem(trx, toRow(item, ciphertext), wrapping.keys);
    if (!stored) throw new AppError(ErrorCode.conflict, 'This item id is already used.');
    await attachUploadsToItem(tx, item.itemId, item.attachmentIds);
    if (fileOwner) await linkFilesToItem(tx, fileOwner, item.itemId, item.fileIds);
    await insertEvents(trx, item.events);
    for (const target of item.notify)
      await enqueueJob(deps.jobs, notifyRecipientJob, { ...target, itemId: item.itemId }, {}, trx);
    if (item.senderNotice) await enqueueJob(deps.jobs, notifySenderJob, item.senderNotice, {}, trx);
  });
  return { itemId: item.itemId, createdAt: item.createdAt.toISOString() };
}

function toRow(item: NewItem, ciphertext: Uint8Array) {
  const { author } = item;
  return {
    id: item.itemId,
    conversation_id: item.conversationId,
    author_kind: author.kind,
    author_user_id: author.kind === 'user' ? author.userId : null,
    author_participant_id: author.kind === 'guest' ? author.participantId : null,
    on_behalf_of_team_id: author.kind === 'user' ? author.onBehalfOfTeamId : null,
    created_at: item.createdAt,
    ciphertext,
  };
}

/** An item's time: now, but after the conversation's last item, so items keep their order. */
export function itemTime(now: Date, lastActivity: Date): Date {
  return now.getTime() > lastActivity.getTime() ? now : new Date(lastActivity.getTime() + 1);
}
