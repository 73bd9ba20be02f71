import type { TeamConversationHandling, TeamHandlingList } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { findPeople, teamMembership } from '../accounts/index.ts';
import { isTeamInConversation } from '../conversations/index.ts';
import {
  saveHandling,
  selectHandlingEvents,
  selectHandlingState,
  selectHandlingStates,
} from './handling-store.ts';

/** Names of the people handling events and states point at. */
async function namesOf(deps: Deps, ids: (string | null)[]): Promise<Map<string, string>> {
  const people = await findPeople(
    deps,
    ids.filter((id): id is string => id !== null),
  );
  return new Map(people.map((p) => [p.id, p.name]));
}

function personOf(names: Map<string, string>, userId: string | null) {
  const name = userId ? names.get(userId) : undefined;
  return userId && name ? { userId, name } : null;
}

/**
 * Every member of a team may see and change how the team handles a conversation in its mailbox;
 * nobody else may, and a conversation outside the mailbox is "not found".
 */
async function requireMember(deps: Deps, actor: Actor, teamId: string) {
  const membership = await teamMembership(deps, actor.organisationId, teamId, actor.userId);
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
  const names = await namesOf(deps, [
    state?.assignee_user_id ?? null,
    ...events.flatMap((e) => [e.actor_user_id, e.target_user_id]),
  ]);
  return {
    teamId,
    conversationId,
    assignee: personOf(names, state?.assignee_user_id ?? null),
    isDone: Boolean(state?.done_at),
    doneAt: state?.done_at ? state.done_at.toISOString() : null,
    events: events.flatMap((e) => {
      const actor = personOf(names, e.actor_user_id);
      return actor
        ? [
            {
              type: e.type,
              actor,
              target: personOf(names, e.target_user_id),
              occurredAt: e.occurred_at.toISOString(),
            },
          ]
        : [];
    }),
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
  const names = await namesOf(
    deps,
    states.map((s) => s.assignee_user_id),
  );
  return {
    conversations: states.map((s) => ({
      conversationId: s.conversation_id,
      assignee: personOf(names, s.assignee_user_id),
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
    const assignee = await teamMembership(deps, actor.organisationId, teamId, userId);
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
