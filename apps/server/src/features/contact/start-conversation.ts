import type {
  ContactFirstMessageRequest,
  ContactStartRequest,
  ContactStartResponse,
} from '@zegel/protocol/api';
import { fromBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { VerificationLimits } from '@zegel/protocol/limits';
import { createToken, hashToken } from '../../adapters/tokens.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../audit/service.ts';
import { addGuestReply, type GuestCookies } from '../messages/guest.ts';
import { sealLinkSecret } from '../messages/jobs.ts';
import {
  countItems,
  insertConversation,
  insertGuestSession,
  insertParticipants,
  selectConversation,
  selectMessageSettings,
  selectParticipant,
  selectTeamsByIds,
} from '../messages/store.ts';
import { CONFIRM_JOB } from './jobs.ts';
import { getContactTeam } from './page.ts';
import { linkVerificationToConversation, spendSendToken } from './store.ts';

const DAY_MS = 86_400_000;

/**
 * Opens a conversation for a person who proved their address on the contact page: spends the
 * send token (once, across processes), stores the person as the guest starter with the key the
 * browser made, and the team as the recipient. The conversation stays out of every mailbox until
 * its first message arrives (`postFirstMessage`). Returns a guest session for the upload and send.
 * No limit of its own: every token cost a code, and codes are limited per address and per
 * network address across processes (verify-address.ts).
 */
export async function startConversation(
  deps: Deps,
  slug: string,
  teamId: string,
  input: ContactStartRequest,
  origin: RequestOrigin,
): Promise<{ response: ContactStartResponse; session: { token: string; expiresAt: Date } }> {
  const { team: contactTeam } = await getContactTeam(deps, slug, teamId);
  const [team] = await selectTeamsByIds(deps.db, [teamId]);
  if (!team?.public_key)
    throw new AppError(
      ErrorCode.contactClosed,
      'This team cannot receive secure messages yet. Please try again later.',
    );
  const now = deps.clock.now();
  const spent = await spendSendToken(deps.db, {
    tokenHash: hashToken(input.sendToken),
    teamId,
    now,
  });
  if (!spent)
    throw new AppError(
      ErrorCode.verificationFailed,
      'Your e-mail address is not confirmed, or this confirmation was already used. Please confirm it again.',
    );
  const needsSms = contactTeam.guestVerification === 'sms';
  if (needsSms && !spent.phone)
    throw new AppError(
      ErrorCode.validationFailed,
      'This team asks for a mobile number, so replies can be protected with an SMS code. Start again and give your number.',
    );
  const settings = await selectMessageSettings(deps.db, spent.organisation_id);
  if (!settings) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  const expiresAt = new Date(now.getTime() + settings.message_expiry_days * DAY_MS);
  const teamParticipantId = crypto.randomUUID();
  const token = createToken();
  const sessionExpiresAt = new Date(now.getTime() + VerificationLimits.guestSessionMinutes * 60_000);
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertConversation(trx, {
        id: input.conversationId,
        organisation_id: spent.organisation_id,
        sender_user_id: null,
        contact_team_id: teamId,
        created_at: now,
        expires_at: expiresAt,
      });
      await insertParticipants(trx, [
        {
          id: input.recipientId,
          conversation_id: input.conversationId,
          kind: 'guest',
          role: 'sender',
          address: spent.email,
          method: needsSms ? 'sms' : 'email_only',
          phone: needsSms ? spent.phone : null,
          public_key: input.publicKey,
          server_share: fromBase64Url(input.serverShare),
          sent_at: now,
          verified_at: now,
        },
        {
          id: teamParticipantId,
          conversation_id: input.conversationId,
          kind: 'team',
          role: 'to',
          team_id: teamId,
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
      await linkVerificationToConversation(trx, spent.id, input.conversationId);
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new AppError(ErrorCode.conflict, 'This conversation or recipient id is already used.');
    throw error;
  }
  await deps.audit.record({
    action: AuditAction.contactConversationStarted,
    outcome: 'success',
    organisationId: spent.organisation_id,
    actor: { userId: null, name: 'guest', role: 'guest', onBehalfOf: spent.email },
    accessPoint: origin,
    subjectPerson: spent.email,
    object: { type: 'conversation', id: input.conversationId },
    details: { teamId, participantId: input.recipientId, verificationId: spent.id },
  });
  return {
    response: {
      conversationId: input.conversationId,
      recipientId: input.recipientId,
      replyRecipients: [{ holderId: teamId, kind: 'team', name: team.name, publicKey: team.public_key }],
      expiresAt: expiresAt.toISOString(),
    },
    session: { token, expiresAt: sessionExpiresAt },
  };
}

/**
 * The opening message of a contact conversation: stored as the guest's item (the messages
 * feature checks the session, the wrapping and the uploads and tells the team), then the person
 * gets a confirmation mail with their guest link and the team's auto-reply.
 */
export async function postFirstMessage(
  deps: Deps,
  recipientId: string,
  input: ContactFirstMessageRequest,
  cookies: GuestCookies,
  origin: RequestOrigin,
) {
  const participant = await selectParticipant(deps.db, recipientId);
  const conversation = participant ? await selectConversation(deps.db, participant.conversation_id) : null;
  if (participant?.kind !== 'guest' || participant.role !== 'sender' || !conversation?.contact_team_id)
    throw new AppError(ErrorCode.notFound, 'There is no such contact conversation.');
  const [count] = await countItems(deps.db, [conversation.id]);
  if (Number(count?.n ?? 0) > 0)
    throw new AppError(ErrorCode.conflict, 'This conversation has already started; reply to it instead.');
  const { linkSecret, ...reply } = input;
  const result = await addGuestReply(deps, recipientId, reply, cookies, origin);
  await deps.jobs.enqueue(CONFIRM_JOB, {
    participantId: recipientId,
    sealedLinkSecret: sealLinkSecret(deps, recipientId, linkSecret),
  });
  return result;
}
