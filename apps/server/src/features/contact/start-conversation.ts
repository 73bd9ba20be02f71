import type {
  ContactFirstMessageRequest,
  ContactStartRequest,
  ContactStartResponse,
} from '@zegel/protocol/api';
import { fromBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { hashToken } from '../../adapters/tokens.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { findOrganisation } from '../accounts/index.ts';
import { addGuestReply, findGuestStarter, openConversation, sealLinkSecret } from '../conversations/index.ts';
import {
  type GuestCookies,
  type IssuedToken,
  openGuestSession,
  storeLinkProof,
} from '../guest-access/index.ts';
import { findStaffHolders } from '../keys/index.ts';
import { CONFIRM_JOB, CONTACT_KIND } from './jobs.ts';
import { getContactTeam } from './page.ts';
import { linkVerificationToConversation, spendSendToken } from './store.ts';

/** The team's current key holder, which the opening message is wrapped to. */
async function teamKeyHolder(deps: Deps, teamId: string) {
  return (await findStaffHolders(deps, { userIds: [], teamIds: [teamId] })).get(teamId);
}

const DAY_MS = 86_400_000;

/**
 * Stores the conversation (owned by the team), the person as its guest starter with the key
 * their browser made, the team as its recipient, a guest session (so the browser can upload and
 * post the opening message) and the spent token's link to it, in one transaction.
 */
async function openContactConversation(
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
    verificationId: string;
  },
): Promise<{ expiresAt: Date; session: IssuedToken }> {
  const settings = await findOrganisation(deps, input.organisationId);
  if (!settings) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + settings.message_expiry_days * DAY_MS);
  const session = await inTransaction(deps, async (tx) => {
    await openConversation(tx, {
      id: input.conversationId,
      organisationId: input.organisationId,
      kind: CONTACT_KIND,
      ownerId: input.teamId,
      senderUserId: null,
      createdAt: now,
      expiresAt,
      participants: [
        {
          id: input.recipientId,
          kind: 'guest',
          role: 'sender',
          address: input.address,
          publicKey: input.publicKey,
          credentials: {
            method: input.phone ? 'sms' : 'email_only',
            phone: input.phone,
            serverShare: fromBase64Url(input.serverShare),
            verifiedAt: now,
          },
        },
        { id: crypto.randomUUID(), kind: 'team', role: 'to', teamId: input.teamId },
      ],
    });
    await linkVerificationToConversation(tx.db, input.verificationId, input.conversationId);
    return openGuestSession(tx, input.recipientId, now);
  });
  return { expiresAt, session };
}

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
  if (!holder?.publicKey)
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
  const opened = await openContactConversation(deps, {
    organisationId: spent.organisation_id,
    teamId,
    conversationId: input.conversationId,
    recipientId: input.recipientId,
    address: spent.email,
    phone: needsSms ? spent.phone : null,
    publicKey: input.publicKey,
    serverShare: input.serverShare,
    verificationId: spent.id,
  });
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
      replyRecipients: [
        { holderId: holder.holderId, kind: 'team', name: holder.name, publicKey: holder.publicKey },
      ],
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
  const starter = await findGuestStarter(deps, recipientId, CONTACT_KIND);
  if (!starter) throw new AppError(ErrorCode.notFound, 'There is no such contact conversation.');
  if (starter.itemCount > 0)
    throw new AppError(ErrorCode.conflict, 'This conversation has already started; reply to it instead.');
  const { linkSecret, ...reply } = input;
  const result = await addGuestReply(deps, recipientId, reply, cookies, origin);
  await storeLinkProof(deps, recipientId, linkSecret);
  await deps.jobs.enqueue(CONFIRM_JOB, {
    participantId: recipientId,
    sealedLinkSecret: sealLinkSecret(deps, recipientId, linkSecret),
  });
  return result;
}
