import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { appendItem, itemTime } from './append-item.ts';
import { keyHolders, loadParticipants, participantState } from './participants.ts';
import { canWrite, requireStaffAccess, type StaffAccess } from './policy.ts';

export interface StaffItemInput {
  itemId: string;
  item: string;
  attachments: { id: string }[];
  files?: { id: string }[] | undefined;
  wrappedKeys: { holderId: string; wrappedKey: string }[];
}

/** A member who is here only through a team writes in the team's name (the audit names them). */
function onBehalfOfTeam(access: StaffAccess, actor: Actor): string | null {
  if (access.viewerParticipants.some((p) => p.user_id === actor.userId)) return null;
  return access.viewerParticipants.find((p) => p.team_id)?.team_id ?? null;
}

/** A staff reply or follow-up: wrapped to exactly the conversation's current key holders. */
export async function addStaffItem(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  input: StaffItemInput,
  origin: RequestOrigin,
) {
  const access = await requireStaffAccess(deps, actor, conversationId);
  const now = itemTime(deps.clock.now(), access.conversation.last_activity_at);
  if (!canWrite(access.conversation, now))
    throw new AppError(ErrorCode.messageExpired, 'This conversation has expired.');
  const onBehalfOfTeamId = onBehalfOfTeam(access, actor);
  const others = access.participants.filter(
    (p) =>
      (p.role !== 'sender' || p.kind === 'guest') &&
      p.user_id !== actor.userId &&
      participantState(p, access.conversation, now) === 'active',
  );
  const attachmentIds = input.attachments.map((a) => a.id);
  const fileIds = (input.files ?? []).map((f) => f.id);
  const result = await appendItem(deps, {
    conversationId,
    itemId: input.itemId,
    author: { kind: 'user', organisationId: actor.organisationId, userId: actor.userId, onBehalfOfTeamId },
    createdAt: now,
    item: input.item,
    wrappedKeys: input.wrappedKeys,
    attachmentIds,
    fileIds,
    // The author always keeps a key of their own, also when they are here only through a team.
    async expectedHolders(tx) {
      const participants = await loadParticipants(tx, [conversationId]);
      return new Set([
        ...keyHolders(participants, access.conversation, now).map((h) => h.holderId),
        actor.userId,
      ]);
    },
    wrongWrapping: ({ missing, extra }) =>
      new AppError(
        ErrorCode.validationFailed,
        'Wrap the item key to exactly the conversation’s key holders and yourself.',
        {
          missing,
          extra,
        },
      ),
    notify: others.map((p) =>
      p.kind === 'team' ? { participantId: p.id, exceptUserId: actor.userId } : { participantId: p.id },
    ),
    events: [],
  });
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
  return result;
}
