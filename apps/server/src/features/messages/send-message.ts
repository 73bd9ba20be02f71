import type { RecipientProblem, SendMessageRequest } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { findOrganisation, type OrganisationProfile } from '../accounts/index.ts';
import {
  appendItem,
  checkItemCiphertext,
  checkWrappedKeys,
  type NewParticipant,
  openConversation,
  sealLinkSecret,
  takenParticipantIds,
} from '../conversations/index.ts';
import { linkProofHashFor, rememberRecipients } from '../guest-access/index.ts';
import { findStaffHolders } from '../keys/index.ts';
import { type CheckedGuest, checkRecipient, type SendContext } from './recipients.ts';

const DAY_MS = 86_400_000;

/** The expiry a send asks for, or the organisation's default; refused beyond the maximum. */
function resolveExpiry(now: Date, settings: OrganisationProfile, requested: string | undefined): Date {
  if (requested === undefined) return new Date(now.getTime() + settings.message_expiry_days * DAY_MS);
  const expiresAt = new Date(requested);
  if (
    expiresAt.getTime() <= now.getTime() ||
    expiresAt.getTime() > now.getTime() + MessageLimits.maxExpiryDays * DAY_MS
  )
    throw new AppError(
      ErrorCode.validationFailed,
      `The expiry must be in the future and at most ${MessageLimits.maxExpiryDays} days away.`,
    );
  return expiresAt;
}

interface CheckedSend {
  problems: RecipientProblem[];
  participants: NewParticipant[];
  guests: Map<string, CheckedGuest>;
  holderIndex: Map<string, number>;
  holders: Set<string>;
}

/** Checks every recipient, collecting all problems (nothing is stored unless there are none). */
async function checkRecipients(
  deps: Deps,
  actor: Actor,
  input: SendMessageRequest,
  settings: OrganisationProfile,
) {
  const ids = (kind: string, pick: (r: never) => string) =>
    input.recipients.flatMap((r) => (r.kind === kind ? [pick(r as never)] : []));
  const [holders, takenIds] = await Promise.all([
    findStaffHolders(deps, {
      userIds: ids('user', (r: { userId: string }) => r.userId),
      teamIds: ids('team', (r: { teamId: string }) => r.teamId),
    }),
    takenParticipantIds(
      deps,
      ids('guest', (r: { recipientId: string }) => r.recipientId),
    ),
  ]);
  const context: SendContext = {
    organisationId: actor.organisationId,
    allowEmailOnly: settings.allow_email_only,
    minAccessCodeCost: { memoryKiB: deps.config.kdfMemoryKiB, iterations: deps.config.kdfIterations },
    holders,
    takenIds,
    seenHolders: new Set([actor.userId]),
    seenAddresses: new Set(),
  };
  const result: CheckedSend = {
    problems: [],
    participants: [],
    guests: new Map(),
    holderIndex: new Map(),
    holders: context.seenHolders,
  };
  for (const [index, recipient] of input.recipients.entries()) {
    const checked = checkRecipient(index, recipient, context);
    if (!checked.ok) {
      result.problems.push(...checked.problems);
      continue;
    }
    context.seenHolders.add(checked.holderId);
    result.holderIndex.set(checked.holderId, index);
    result.participants.push(checked.participant);
    if (checked.participant.kind === 'guest' && checked.guest) {
      context.seenAddresses.add(checked.participant.address);
      result.guests.set(checked.participant.id, checked.guest);
    }
  }
  return result;
}

/** The item must be wrapped to the sender and to every recipient, and to nobody else. */
function wrappingProblems(actor: Actor, input: SendMessageRequest, send: CheckedSend): RecipientProblem[] {
  const wrapped = checkWrappedKeys(input.wrappedKeys, send.holders);
  return [
    ...wrapped.missing.map((id) => ({
      index: send.holderIndex.get(id) ?? -1,
      field: 'wrappedKey',
      problem: 'missing',
      message:
        id === actor.userId
          ? 'The message is not encrypted to the sender.'
          : 'The message is not encrypted to this recipient.',
    })),
    ...wrapped.extra.map((id) => ({
      index: -1,
      field: 'wrappedKey',
      problem: 'unknown',
      message: `A wrapped key names no recipient (${id}).`,
    })),
  ] as RecipientProblem[];
}

async function auditSend(
  deps: Deps,
  actor: Actor,
  input: SendMessageRequest,
  send: CheckedSend,
  origin: RequestOrigin,
) {
  await deps.audit.recordMany(
    send.participants.map((participant) => ({
      action: AuditAction.messageSent,
      outcome: 'success',
      organisationId: actor.organisationId,
      actor: auditActor(actor),
      accessPoint: origin,
      subjectPerson:
        participant.kind === 'guest'
          ? participant.address
          : participant.kind === 'user'
            ? participant.userId
            : participant.teamId,
      object: { type: 'conversation', id: input.conversationId },
      details: {
        participantId: participant.id,
        kind: participant.kind,
        role: participant.role,
        attachments: input.attachments.length,
        files: (input.files ?? []).length,
      },
    })),
  );
}

/** Each guest's link proof hash, from the link secret the send hands over for the mail. */
async function withLinkProofs(send: { participants: NewParticipant[]; guests: Map<string, CheckedGuest> }) {
  return Promise.all(
    send.participants.map(async (p) => {
      const guest = send.guests.get(p.id);
      if (p.kind !== 'guest' || !guest) return p;
      const linkProofHash = await linkProofHashFor(p.id, guest.linkSecret);
      return { ...p, credentials: { ...p.credentials, linkProofHash } };
    }),
  );
}

/**
 * Sends a new conversation. Every recipient is checked first, and if any lacks what its method
 * needs the whole send is refused with one problem per missing thing: nothing is stored and
 * nobody is notified. Then one transaction opens the conversation, appends the first item and
 * queues one notification job per recipient (the mail goes out from the job queue, with retries).
 */
export async function sendMessage(
  deps: Deps,
  actor: Actor,
  input: SendMessageRequest,
  origin: RequestOrigin,
) {
  const now = deps.clock.now();
  const settings = await findOrganisation(deps, actor.organisationId);
  if (!settings) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  const [sender] = (await findStaffHolders(deps, { userIds: [actor.userId], teamIds: [] })).values();
  if (!sender?.publicKey) throw new AppError(ErrorCode.keysMissing, 'Set up your keys before sending.');
  checkItemCiphertext(input.item);
  const expiresAt = resolveExpiry(now, settings, input.expiresAt);
  const send = await checkRecipients(deps, actor, input, settings);
  if (send.problems.length === 0) send.problems.push(...wrappingProblems(actor, input, send));
  if (send.problems.length > 0)
    throw new AppError(
      ErrorCode.recipientsIncomplete,
      'Some recipients are missing something; nothing was sent.',
      {
        recipients: send.problems,
      },
    );
  const participants = await withLinkProofs(send);
  const senderParticipant: NewParticipant = {
    id: crypto.randomUUID(),
    kind: 'user',
    role: 'sender',
    userId: actor.userId,
  };
  await appendItem(deps, {
    conversationId: input.conversationId,
    itemId: input.itemId,
    author: {
      kind: 'user',
      organisationId: actor.organisationId,
      userId: actor.userId,
      onBehalfOfTeamId: null,
    },
    createdAt: now,
    item: input.item,
    wrappedKeys: input.wrappedKeys,
    attachmentIds: input.attachments.map((a) => a.id),
    fileIds: (input.files ?? []).map((f) => f.id),
    async before(tx) {
      await openConversation(tx, {
        id: input.conversationId,
        organisationId: actor.organisationId,
        kind: 'message',
        ownerId: null,
        senderUserId: actor.userId,
        createdAt: now,
        expiresAt,
        participants: [senderParticipant, ...participants],
      });
      await rememberRecipients(
        tx,
        [...send.guests.values()].flatMap((g) =>
          g.remembered ? [{ ...g.remembered, updated_at: now }] : [],
        ),
      );
    },
    expectedHolders: async () => send.holders,
    wrongWrapping: () =>
      new AppError(ErrorCode.validationFailed, 'The message is not encrypted to every recipient.'),
    notify: send.participants.map((p) => {
      const guest = send.guests.get(p.id);
      return guest
        ? { participantId: p.id, sealedLinkSecret: sealLinkSecret(deps, p.id, guest.linkSecret) }
        : { participantId: p.id };
    }),
    events: send.participants.map((p) => ({
      conversation_id: input.conversationId,
      participant_id: p.id,
      type: 'sent',
      occurred_at: now,
    })),
  });
  await auditSend(deps, actor, input, send, origin);
  return { conversationId: input.conversationId, itemId: input.itemId, expiresAt: expiresAt.toISOString() };
}
