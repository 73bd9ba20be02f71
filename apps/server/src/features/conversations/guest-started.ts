import type { Deps } from '../../deps.ts';
import { findOrganisation } from '../accounts/index.ts';
import { loadConversation } from './conversation-view.ts';
import { countItems, selectParticipantRow } from './store.ts';

/**
 * The guest who started a conversation of this kind (a contact page's person), with it, its
 * organisation and how many items it has; null for anyone else.
 */
export async function findGuestStarter(deps: Deps, recipientId: string, kind: string) {
  const row = await selectParticipantRow(deps.db, recipientId);
  if (row?.kind !== 'guest' || row.role !== 'sender') return null;
  const loaded = await loadConversation(deps, row.conversation_id);
  const participant = loaded?.participants.find((p) => p.id === recipientId);
  if (!loaded || !participant || loaded.conversation.kind !== kind || !loaded.conversation.owner_id)
    return null;
  const [org, [count]] = await Promise.all([
    findOrganisation(deps, loaded.conversation.organisation_id),
    countItems(deps.db, [loaded.conversation.id]),
  ]);
  if (!org) return null;
  return {
    participant,
    conversation: { ...loaded.conversation, owner_id: loaded.conversation.owner_id },
    org,
    itemCount: Number(count?.n ?? 0),
  };
}

/** Whether a team takes part in a conversation (it is in the team's mailbox). */
export async function isTeamInConversation(deps: Deps, teamId: string, conversationId: string) {
  const loaded = await loadConversation(deps, conversationId);
  return loaded?.participants.some((p) => p.kind === 'team' && p.team_id === teamId) ?? false;
}
