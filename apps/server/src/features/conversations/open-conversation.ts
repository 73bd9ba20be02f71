import { ErrorCode } from '@zegel/protocol/errors';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { createGuestCredentials, type NewGuestCredentials } from '../guest-access/index.ts';
import { insertConversation, insertParticipants, type ParticipantInsert } from './store.ts';

/** A new participant: a person, a team, or a guest with how they verify. */
export type NewParticipant =
  | { id: string; kind: 'user'; role: ParticipantInsert['role']; userId: string }
  | { id: string; kind: 'team'; role: ParticipantInsert['role']; teamId: string }
  | {
      id: string;
      kind: 'guest';
      role: ParticipantInsert['role'];
      address: string;
      publicKey: string;
      credentials: Omit<NewGuestCredentials, 'participantId'>;
    };

export interface NewConversation {
  id: string;
  organisationId: string;
  /** The feature it belongs to and that feature's record (a contact conversation: the team). */
  kind: string;
  ownerId: string | null;
  senderUserId: string | null;
  createdAt: Date;
  expiresAt: Date;
  participants: NewParticipant[];
}

function toRow(conversationId: string, p: NewParticipant, now: Date): ParticipantInsert {
  const base = { id: p.id, conversation_id: conversationId, kind: p.kind, role: p.role, sent_at: now };
  if (p.kind === 'user') return { ...base, user_id: p.userId };
  if (p.kind === 'team') return { ...base, team_id: p.teamId };
  return { ...base, address: p.address, public_key: p.publicKey };
}

/**
 * Stores a new conversation with its participants and its guests' credentials, inside the
 * caller's transaction (`tx`). A conversation or participant id used before is `409 conflict`;
 * the caller's transaction then rolls back whole.
 */
export async function openConversation(tx: Deps, conversation: NewConversation): Promise<void> {
  const stored = await insertConversation(tx.db, {
    id: conversation.id,
    organisation_id: conversation.organisationId,
    kind: conversation.kind,
    owner_id: conversation.ownerId,
    sender_user_id: conversation.senderUserId,
    created_at: conversation.createdAt,
    expires_at: conversation.expiresAt,
  });
  const rows = conversation.participants.map((p) => toRow(conversation.id, p, conversation.createdAt));
  if (!stored || !(await insertParticipants(tx.db, rows)))
    throw new AppError(ErrorCode.conflict, 'This conversation, item or recipient id is already used.');
  await createGuestCredentials(
    tx,
    conversation.participants.flatMap((p) =>
      p.kind === 'guest' ? [{ ...p.credentials, participantId: p.id }] : [],
    ),
  );
}
