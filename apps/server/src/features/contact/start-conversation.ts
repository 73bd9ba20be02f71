import type {
  ContactFirstMessageRequest,
  ContactStartRequest,
  ContactStartResponse,
} from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { hashToken } from '../../adapters/tokens.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { addGuestReply, type GuestCookies } from '../messages/guest.ts';
import { findGuestStarter, openGuestStartedConversation, teamKeyHolder } from '../messages/guest-started.ts';
import { sealLinkSecret } from '../messages/jobs.ts';
import { CONFIRM_JOB } from './jobs.ts';
import { getContactTeam } from './page.ts';
import { linkVerificationToConversation, spendSendToken } from './store.ts';

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
  const holder = await teamKeyHolder(deps, teamId);
  if (!holder)
    throw new AppError(
      ErrorCode.contactClosed,
      'This team cannot receive secure messages yet. Please try again later.',
    );
  const spent = await spendSendToken(deps.db, {
    tokenHash: hashToken(input.sendToken),
    teamId,
    now: deps.clock.now(),
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
  const opened = await openGuestStartedConversation(
    deps,
    {
      organisationId: spent.organisation_id,
      teamId,
      conversationId: input.conversationId,
      recipientId: input.recipientId,
      address: spent.email,
      phone: needsSms ? spent.phone : null,
      publicKey: input.publicKey,
      serverShare: input.serverShare,
    },
    (trx) => linkVerificationToConversation(trx, spent.id, input.conversationId),
  );
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
      replyRecipients: [holder],
      expiresAt: opened.expiresAt.toISOString(),
    },
    session: opened.session,
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
  const starter = await findGuestStarter(deps, recipientId);
  if (!starter) throw new AppError(ErrorCode.notFound, 'There is no such contact conversation.');
  if (starter.itemCount > 0)
    throw new AppError(ErrorCode.conflict, 'This conversation has already started; reply to it instead.');
  const { linkSecret, ...reply } = input;
  const result = await addGuestReply(deps, recipientId, reply, cookies, origin);
  await deps.jobs.enqueue(CONFIRM_JOB, {
    participantId: recipientId,
    sealedLinkSecret: sealLinkSecret(deps, recipientId, linkSecret),
  });
  return result;
}
