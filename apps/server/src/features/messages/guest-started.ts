/**
 * Conversations a person without an account starts with a team (the contact page): no staff
 * sender; the person is a guest participant with role `sender` whose key their browser made,
 * the team a participant with role `to`. The contact feature decides who may start one.
 */

import { fromBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { VerificationLimits } from '@zegel/protocol/limits';
import type { Transaction } from 'kysely';
import { createToken, hashToken } from '../../adapters/tokens.ts';
import type { DB } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import {
  countItems,
  insertConversation,
  insertGuestSession,
  insertParticipants,
  selectConversation,
  selectMessageSettings,
  selectParticipant,
  selectTeamsByIds,
} from './store.ts';

const DAY_MS = 86_400_000;

/** The team's current public key, which the opening message is wrapped to; null if it has none yet. */
export async function teamKeyHolder(deps: Deps, teamId: string) {
  const [team] = await selectTeamsByIds(deps.db, [teamId]);
  if (!team?.public_key) return null;
  return { holderId: team.id, kind: 'team' as const, name: team.name, publicKey: team.public_key };
}

/**
 * Stores the conversation, both participants and a guest session (so the person's browser can
 * upload and post the opening message), in one transaction; `alsoInTransaction` lets the caller
 * record its side (the spent token) atomically with it.
 */
export async function openGuestStartedConversation(
  deps: Deps,
  input: {
    organisationId: string;
    teamId: string;
    conversationId: string;
    recipientId: string;
    address: string;
    phone: string | null;
    publicKey: string;
    serverShare: string;
  },
  alsoInTransaction: (trx: Transaction<DB>) => Promise<void>,
) {
  const settings = await selectMessageSettings(deps.db, input.organisationId);
  if (!settings) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + settings.message_expiry_days * DAY_MS);
  const token = createToken();
  const sessionExpiresAt = new Date(now.getTime() + VerificationLimits.guestSessionMinutes * 60_000);
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertConversation(trx, {
        id: input.conversationId,
        organisation_id: input.organisationId,
        sender_user_id: null,
        contact_team_id: input.teamId,
        created_at: now,
        expires_at: expiresAt,
      });
      await insertParticipants(trx, [
        {
          id: input.recipientId,
          conversation_id: input.conversationId,
          kind: 'guest',
          role: 'sender',
          address: input.address,
          method: input.phone ? 'sms' : 'email_only',
          phone: input.phone,
          public_key: input.publicKey,
          server_share: fromBase64Url(input.serverShare),
          sent_at: now,
          verified_at: now,
        },
        {
          id: crypto.randomUUID(),
          conversation_id: input.conversationId,
          kind: 'team',
          role: 'to',
          team_id: input.teamId,
          sent_at: now,
        },
      ]);
      await insertGuestSession(trx, {
        id: crypto.randomUUID(),
        participant_id: input.recipientId,
        token_hash: hashToken(token),
        created_at: now,
        expires_at: sessionExpiresAt,
      });
      await alsoInTransaction(trx);
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new AppError(ErrorCode.conflict, 'This conversation or recipient id is already used.');
    throw error;
  }
  return { expiresAt, session: { token, expiresAt: sessionExpiresAt } };
}

/** The person who started a conversation, with it and its organisation; null for anyone else. */
export async function findGuestStarter(deps: Deps, recipientId: string) {
  const participant = await selectParticipant(deps.db, recipientId);
  if (participant?.kind !== 'guest' || participant.role !== 'sender') return null;
  const conversation = await selectConversation(deps.db, participant.conversation_id);
  if (!conversation?.contact_team_id) return null;
  const [org, [count]] = await Promise.all([
    selectMessageSettings(deps.db, conversation.organisation_id),
    countItems(deps.db, [conversation.id]),
  ]);
  if (!org) return null;
  return {
    participant,
    conversation: { ...conversation, contact_team_id: conversation.contact_team_id },
    org,
    itemCount: Number(count?.n ?? 0),
  };
}
