import type { Deps } from '../../deps.ts';
import { findPeople } from '../accounts/index.ts';
import { loadParticipants, type ParticipantView } from './participants.ts';
import { type ConversationRecord, selectConversations } from './store.ts';

type DbDeps = Pick<Deps, 'db'>;

/** A conversation with the names its readers see. */
export interface ConversationView extends ConversationRecord {
  /** Who started it: the staff sender's name, or the address of the guest who wrote first. */
  sender_name: string;
  sender_email: string | null;
  /** Whom a guest hears from: the staff sender, or the team a guest started it with. */
  staff_name: string;
}

/** Conversations (newest activity first) with sender names, from their participants. */
export async function describeConversations(
  deps: DbDeps,
  records: ConversationRecord[],
  participants: ParticipantView[],
): Promise<ConversationView[]> {
  const senders = await findPeople(
    deps,
    records.flatMap((c) => (c.sender_user_id ? [c.sender_user_id] : [])),
  );
  return records.map((c) => {
    const sender = senders.find((u) => u.id === c.sender_user_id);
    const mine = participants.filter((p) => p.conversation_id === c.id);
    const guestStarter = mine.find((p) => p.kind === 'guest' && p.role === 'sender');
    const addressedTeam = mine.find((p) => p.kind === 'team' && p.role === 'to');
    const senderName = sender?.name ?? guestStarter?.address ?? '';
    return {
      ...c,
      sender_name: senderName,
      sender_email: sender?.email ?? null,
      staff_name: sender ? sender.name : (addressedTeam?.team_name ?? senderName),
    };
  });
}

/** One conversation with its participants; undefined for an unknown id. */
export async function loadConversation(deps: DbDeps, id: string) {
  const [record] = await selectConversations(deps.db, [id]);
  if (!record) return undefined;
  const participants = await loadParticipants(deps, [id]);
  const [conversation] = await describeConversations(deps, [record], participants);
  return { conversation: conversation as ConversationView, participants };
}
