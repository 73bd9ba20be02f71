import type { Kysely } from 'kysely';
import type { DB, TeamConversationEventsTable } from '../../db/schema.ts';

export async function selectHandlingState(db: Kysely<DB>, teamId: string, conversationId: string) {
  return db
    .selectFrom('team_conversation_states as s')
    .select(['s.assignee_user_id', 's.done_at'])
    .where('s.team_id', '=', teamId)
    .where('s.conversation_id', '=', conversationId)
    .executeTakeFirst();
}

export async function selectHandlingEvents(db: Kysely<DB>, teamId: string, conversationId: string) {
  return db
    .selectFrom('team_conversation_events as e')
    .select(['e.type', 'e.actor_user_id', 'e.target_user_id'])
    .select('e.occurred_at')
    .where('e.team_id', '=', teamId)
    .where('e.conversation_id', '=', conversationId)
    .orderBy('e.occurred_at')
    .orderBy('e.id')
    .execute();
}

/** Writes the new state and its event together. */
export async function saveHandling(
  db: Kysely<DB>,
  input: {
    teamId: string;
    conversationId: string;
    change: { assignee_user_id: string | null } | { done_at: Date | null };
    event: Omit<TeamConversationEventsTable, 'id' | 'team_id' | 'conversation_id'>;
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('team_conversation_states')
      .values({
        conversation_id: input.conversationId,
        team_id: input.teamId,
        updated_at: input.event.occurred_at,
        ...input.change,
      })
      .onConflict((c) =>
        c
          .columns(['conversation_id', 'team_id'])
          .doUpdateSet({ ...input.change, updated_at: input.event.occurred_at }),
      )
      .execute();
    await trx
      .insertInto('team_conversation_events')
      .values({
        id: crypto.randomUUID(),
        conversation_id: input.conversationId,
        team_id: input.teamId,
        ...input.event,
      })
      .execute();
  });
}

/** Assignee and done state of some of a team's conversations (those never touched have no row). */
export async function selectHandlingStates(db: Kysely<DB>, teamId: string, conversationIds: string[]) {
  return db
    .selectFrom('team_conversation_states as s')
    .select(['s.conversation_id', 's.assignee_user_id', 's.done_at'])
    .where('s.team_id', '=', teamId)
    .where('s.conversation_id', 'in', conversationIds)
    .execute();
}
