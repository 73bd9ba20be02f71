import type { ConversationDetail } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { teamIdsOfUser } from '../accounts/index.ts';
import { describeConversations } from './conversation-view.ts';
import { insertEvents, selectEvents } from './event-store.ts';
import { loadItems } from './items.ts';
import { keyHolders, loadParticipants, type ParticipantView, presentParticipant } from './participants.ts';
import { canSeeParticipant, requireStaffAccess } from './policy.ts';
import {
  countItems,
  countUnreadInbox,
  countUnreadItems,
  selectConversations,
  selectMailboxIds,
  updateParticipant,
  upsertRead,
} from './store.ts';

/** Records the first and the latest opening by these participants (receipts). */
export async function recordOpened(
  deps: Deps,
  conversationId: string,
  viewers: ParticipantView[],
  now: Date,
) {
  for (const p of viewers) {
    await updateParticipant(deps.db, p.id, {
      last_opened_at: now,
      ...(p.opened_at ? {} : { opened_at: now }),
    });
    if (!p.opened_at)
      await insertEvents(deps.db, [
        { conversation_id: conversationId, participant_id: p.id, type: 'opened', occurred_at: now },
      ]);
  }
}

/** A conversation as a staff reader sees it; records "opened" for the viewer's own rows. */
export async function getConversation(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  origin: RequestOrigin,
): Promise<ConversationDetail> {
  const access = await requireStaffAccess(deps, actor, conversationId);
  const now = deps.clock.now();
  await recordOpened(
    deps,
    conversationId,
    access.viewerParticipants.filter((v) => v.role !== 'sender'),
    now,
  );
  await upsertRead(deps.db, conversationId, actor.userId, now);
  await deps.audit.record({
    action: AuditAction.messageRead,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
  });
  const participants = await loadParticipants(deps, [conversationId]);
  const downloads = await selectEvents(deps.db, [conversationId], ['downloaded']);
  const items = await loadItems(deps, [conversationId], access.holderIds, participants);
  const c = access.conversation;
  return {
    id: c.id,
    createdAt: c.created_at.toISOString(),
    expiresAt: c.expires_at.toISOString(),
    sender: { userId: c.sender_user_id, name: c.sender_name },
    participants: participants
      .filter((p) => canSeeParticipant(actor, access.isSender, p))
      .map((p) => presentParticipant(p, c, downloads, now)),
    items: items.map(({ conversationId: _, ...item }) => item),
    keyHolders: keyHolders(participants, c, now),
    canManage: access.isSender,
  };
}

async function resolveMailbox(
  deps: Deps,
  actor: Actor,
  query: { box: 'inbox' | 'sent' | 'team'; teamId?: string },
) {
  const teamIds = await teamIdsOfUser(deps, actor.userId);
  if (query.box !== 'team') return { teamIds, box: { kind: query.box, userId: actor.userId } as const };
  if (!query.teamId || !teamIds.includes(query.teamId))
    throw new AppError(ErrorCode.notFound, 'No such team mailbox.');
  return { teamIds, box: { kind: 'team', teamId: query.teamId } as const };
}

/** A mailbox page: conversations with their first item and participants, newest activity first. */
export async function listConversations(
  deps: Deps,
  actor: Actor,
  query: { box: 'inbox' | 'sent' | 'team'; teamId?: string; before?: string },
  origin: RequestOrigin,
) {
  const { teamIds, box } = await resolveMailbox(deps, actor, query);
  const ids = await selectMailboxIds(deps.db, box, query.before ? new Date(query.before) : undefined, 50);
  const [records, participants, downloads, counts, unread] = await Promise.all([
    selectConversations(deps.db, ids),
    loadParticipants(deps, ids),
    selectEvents(deps.db, ids, ['downloaded']),
    countItems(deps.db, ids),
    countUnreadItems(deps.db, actor.userId, ids),
  ]);
  const [conversations, firstItems] = await Promise.all([
    describeConversations(deps, records, participants),
    loadItems(deps, ids, [actor.userId, ...teamIds], participants, true),
  ]);
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
          unreadCount: unread.get(c.id) ?? 0,
          participants: participants
            .filter((p) => p.conversation_id === c.id && canSeeParticipant(actor, isSender, p))
            .map((p) => presentParticipant(p, c, downloads, now)),
        },
      ];
    }),
  };
}

/** The count beside "Postvak IN": conversations there with items the user has not read. */
export async function countUnread(deps: Deps, actor: Actor): Promise<{ inbox: number }> {
  return { inbox: await countUnreadInbox(deps.db, actor.userId) };
}
