import type { TeamConversationHandling, TeamHandlingList } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { isTeamInConversation } from '../conversations/index.ts';
import {
  saveHandling,
  selectHandlingEvents,
  selectHandlingState,
  selectHandlingStates,
  selectTeamMembership,
} from './handling-store.ts';

/**
 * Every member of a team may see and change how the team handles a conversation in its mailbox;
 * nobody else may, and a conversation outside the mailbox is "not found".
 */
async function requireMember(deps: Deps, actor: Actor, teamId: string) {
  const membership = await selectTeamMembership(deps.db, actor.organisationId, teamId, actor.userId);
  if (!membership) throw new AppError(ErrorCode.forbidden, 'Only members of this team can do this.');
  return membership;
}

async function requireTeamConversation(deps: Deps, actor: Actor, teamId: string, conversationId: string) {
  await requireMember(deps, actor, teamId);
  if (!(await isTeamInConversation(deps, teamId, conversationId)))
    throw new AppError(ErrorCode.notFound, 'This conversation is not in the team mailbox.');
}

async function readHandling(
  deps: Deps,
  teamId: string,
  conversationId: string,
): Promise<TeamConversationHandling> {
  const [state, events] = await Promise.all([
    selectHandlingState(deps.db, teamId, conversationId),
    selectHandlingEvents(deps.db, teamId, conversationId),
  ]);
  return {
    teamId,
    conversationId,
    assignee:
      state?.assignee_user_id && state.assignee_name
        ? { userId: state.assignee_user_id, name: state.assignee_name }
        : null,
    isDone: Boolean(state?.done_at),
    doneAt: state?.done_at ? state.done_at.toISOString() : null,
    events: events.map((e) => ({
      type: e.type,
      actor: { userId: e.actor_user_id, name: e.actor_name },
      target: e.target_user_id && e.target_name ? { userId: e.target_user_id, name: e.target_name } : null,
      occurredAt: e.occurred_at.toISOString(),
    })),
  };
}

/** The team mailbox list's view: assignee and done state per listed conversation. */
export async function listTeamHandling(
  deps: Deps,
  actor: Actor,
  teamId: string,
  conversationIds: string[],
): Promise<TeamHandlingList> {
  await requireMember(deps, actor, teamId);
  const states = await selectHandlingStates(deps.db, teamId, [...new Set(conversationIds)]);
  return {
    conversations: states.map((s) => ({
      conversationId: s.conversation_id,
      assignee:
        s.assignee_user_id && s.assignee_name ? { userId: s.assignee_user_id, name: s.assignee_name } : null,
      isDone: Boolean(s.done_at),
    })),
  };
}

export async function getTeamConversationHandling(
  deps: Deps,
  actor: Actor,
  teamId: string,
  conversationId: string,
) {
  await requireTeamConversation(deps, actor, teamId, conversationId);
  return readHandling(deps, teamId, conversationId);
}

/** Assigns the conversation to a member of the team (or to nobody), recorded and audited. */
export async function assignTeamConversation(
  deps: Deps,
  actor: Actor,
  teamId: string,
  conversationId: string,
  userId: string | null,
  origin: RequestOrigin,
) {
  await requireTeamConversation(deps, actor, teamId, conversationId);
  if (userId !== null) {
    const assignee = await selectTeamMembership(deps.db, actor.organisationId, teamId, userId);
    if (assignee?.status !== 'active')
      throw new AppError(
        ErrorCode.validationFailed,
        'A conversation can only be assigned to an active team member.',
      );
  }
  await saveHandling(deps.db, {
    teamId,
    conversationId,
    change: { assignee_user_id: userId },
    event: {
      type: userId ? 'assigned' : 'unassigned',
      actor_user_id: actor.userId,
      target_user_id: userId,
      occurred_at: deps.clock.now(),
    },
  });
  await deps.audit.record({
    action: AuditAction.teamConversationAssigned,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
    details: { teamId, assigneeUserId: userId },
  });
  return readHandling(deps, teamId, conversationId);
}

/** Marks the conversation done for the team, or opens it again. */
export async function markTeamConversationDone(
  deps: Deps,
  actor: Actor,
  teamId: string,
  conversationId: string,
  isDone: boolean,
  origin: RequestOrigin,
) {
  await requireTeamConversation(deps, actor, teamId, conversationId);
  const now = deps.clock.now();
  await saveHandling(deps.db, {
    teamId,
    conversationId,
    change: { done_at: isDone ? now : null },
    event: {
      type: isDone ? 'done' : 'reopened',
      actor_user_id: actor.userId,
      target_user_id: null,
      occurred_at: now,
    },
  });
  await deps.audit.record({
    action: AuditAction.teamConversationDone,
    outcome: 'success',
    organisationId: actor.organisationId,
    actor: auditActor(actor),
    accessPoint: origin,
    object: { type: 'conversation', id: conversationId },
    details: { teamId, isDone },
  });
  return readHandling(deps, teamId, conversationId);
}
