import type { RecipientProblem, SendMessageRequest } from '@zegel/protocol/api';
import { fromBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { linkFilesToItem, requireLinkableFiles } from '../files/message-files.ts';
import { normalisePhone } from '../guest-access/phone.ts';
import { cleanHint, normaliseAddress } from './address.ts';
import { NOTIFY_JOB, sealLinkSecret } from './jobs.ts';
import {
  attachUploads,
  existingParticipantIds,
  insertConversation,
  insertEvents,
  insertItem,
  insertParticipants,
  type ParticipantInsert,
  selectMessageSettings,
  selectTeamsByIds,
  selectUserKeys,
  selectUsersByIds,
  upsertDirectoryEntries,
} from './store.ts';
import { requireOwnUploads } from './uploads.ts';

const DAY_MS = 86_400_000;

/** Decodes base64url that the schema already checked for its alphabet. */
function bytes(value: string): Uint8Array<ArrayBuffer> {
  return fromBase64Url(value) as Uint8Array<ArrayBuffer>;
}

/** Checks the item ciphertext is content format v1 and within limits, without reading it. */
export function checkItemCiphertext(item: string): Uint8Array<ArrayBuffer> {
  const data = bytes(item);
  if (data.length > MessageLimits.maxItemCiphertextBytes)
    throw new AppError(ErrorCode.payloadTooLarge, 'The message is too large.');
  if (data.length < 81 + 16 || data[0] !== 0x01)
    throw new AppError(ErrorCode.validationFailed, 'The item is not encrypted content (format v1).');
  return data;
}

/** Checks the wrapped keys name exactly the expected holders, once each. */
export function checkWrappedKeys(
  wrappedKeys: { holderId: string; wrappedKey: string }[],
  expected: Set<string>,
): { missing: string[]; extra: string[]; keys: { holderId: string; wrappedKey: Uint8Array }[] } {
  const seen = new Set<string>();
  const extra: string[] = [];
  for (const key of wrappedKeys) {
    if (!expected.has(key.holderId) || seen.has(key.holderId)) extra.push(key.holderId);
    seen.add(key.holderId);
  }
  return {
    missing: [...expected].filter((id) => !seen.has(id)),
    extra,
    keys: wrappedKeys.map((k) => ({ holderId: k.holderId, wrappedKey: bytes(k.wrappedKey) })),
  };
}

/**
 * Sends a new conversation. Every recipient is checked first, and if any lacks what its method
 * needs the whole send is refused with one problem per missing thing: nothing is stored and
 * nobody is notified. Then one transaction stores everything and queues one notification job
 * per recipient (the mail goes out from the job queue, with retries).
 */
export async function sendMessage(
  deps: Deps,
  actor: Actor,
  input: SendMessageRequest,
  origin: RequestOrigin,
) {
  const now = deps.clock.now();
  const settings = await selectMessageSettings(deps.db, actor.organisationId);
  if (!settings) throw new AppError(ErrorCode.notFound, 'No such organisation.');
  const sender = await selectUserKeys(deps.db, actor.userId);
  if (!sender?.public_key) throw new AppError(ErrorCode.keysMissing, 'Set up your keys before sending.');

  const item = checkItemCiphertext(input.item);
  let expiresAt = new Date(now.getTime() + settings.message_expiry_days * DAY_MS);
  if (input.expiresAt !== undefined) {
    expiresAt = new Date(input.expiresAt);
    if (
      expiresAt.getTime() <= now.getTime() ||
      expiresAt.getTime() > now.getTime() + MessageLimits.maxExpiryDays * DAY_MS
    )
      throw new AppError(
        ErrorCode.validationFailed,
        `The expiry must be in the future and at most ${MessageLimits.maxExpiryDays} days away.`,
      );
  }

  const problems: RecipientProblem[] = [];
  const problem = (p: RecipientProblem) => problems.push(p);
  const userIds = input.recipients.flatMap((r) => (r.kind === 'user' ? [r.userId] : []));
  const teamIds = input.recipients.flatMap((r) => (r.kind === 'team' ? [r.teamId] : []));
  const guestIds = input.recipients.flatMap((r) => (r.kind === 'guest' ? [r.recipientId] : []));
  const [users, teams, takenIds] = await Promise.all([
    selectUsersByIds(deps.db, userIds),
    selectTeamsByIds(deps.db, teamIds),
    existingParticipantIds(deps.db, guestIds),
  ]);

  const holders = new Set<string>([actor.userId]);
  const holderIndex = new Map<string, number>();
  const seenAddresses = new Set<string>();
  const participants: ParticipantInsert[] = [];
  const guests: { participantId: string; address: string; linkSecret: string }[] = [];
  const directory: Parameters<typeof upsertDirectoryEntries>[1] = [];

  for (const [index, recipient] of input.recipients.entries()) {
    if (recipient.kind === 'user') {
      const user = users.find((u) => u.id === recipient.userId);
      if (!user || user.organisation_id !== actor.organisationId || user.status !== 'active') {
        problem({ index, field: 'recipient', problem: 'unknown', message: 'There is no such colleague.' });
        continue;
      }
      if (holders.has(user.id)) {
        problem({
          index,
          field: 'recipient',
          problem: 'duplicate',
          message: `${user.name} is already a recipient (or the sender).`,
        });
        continue;
      }
      if (!user.public_key) {
        problem({
          index,
          field: 'publicKey',
          problem: 'missing',
          message: `${user.name} has not set up their keys yet.`,
        });
        continue;
      }
      holders.add(user.id);
      holderIndex.set(user.id, index);
      participants.push({
        id: crypto.randomUUID(),
        conversation_id: input.conversationId,
        kind: 'user',
        role: recipient.role,
        user_id: user.id,
        sent_at: now,
      });
    } else if (recipient.kind === 'team') {
      const team = teams.find((t) => t.id === recipient.teamId);
      if (!team || team.organisation_id !== actor.organisationId) {
        problem({ index, field: 'recipient', problem: 'unknown', message: 'There is no such team.' });
        continue;
      }
      if (holders.has(team.id)) {
        problem({
          index,
          field: 'recipient',
          problem: 'duplicate',
          message: `${team.name} is already a recipient.`,
        });
        continue;
      }
      if (!team.public_key) {
        problem({
          index,
          field: 'publicKey',
          problem: 'missing',
          message: `Team ${team.name} has no key yet.`,
        });
        continue;
      }
      holders.add(team.id);
      holderIndex.set(team.id, index);
      participants.push({
        id: crypto.randomUUID(),
        conversation_id: input.conversationId,
        kind: 'team',
        role: recipient.role,
        team_id: team.id,
        sent_at: now,
      });
    } else {
      const address = normaliseAddress(recipient.address);
      const shown = recipient.address.slice(0, 254);
      const before = problems.length;
      if (!address)
        problem({
          index,
          address: shown,
          field: 'address',
          problem: 'invalid',
          message: 'This is not a valid e-mail address.',
        });
      else if (seenAddresses.has(address))
        problem({
          index,
          address,
          field: 'address',
          problem: 'duplicate',
          message: 'This address is listed twice.',
        });
      if (holders.has(recipient.recipientId) || takenIds.includes(recipient.recipientId))
        problem({
          index,
          address: shown,
          field: 'recipient',
          problem: 'duplicate',
          message: 'This recipient id is already used.',
        });
      let phone: string | null = null;
      if (recipient.method === 'sms') {
        if (!recipient.phone?.trim())
          problem({
            index,
            address: shown,
            field: 'phone',
            problem: 'missing',
            message: 'SMS verification needs a mobile number.',
          });
        else {
          phone = normalisePhone(recipient.phone) ?? null;
          if (!phone)
            problem({
              index,
              address: shown,
              field: 'phone',
              problem: 'invalid',
              message: 'This is not a valid phone number.',
            });
        }
      }
      if (recipient.method === 'access_code' && !recipient.accessCode)
        problem({
          index,
          address: shown,
          field: 'accessCode',
          problem: 'missing',
          message: 'Access-code verification needs an access code.',
        });
      if (recipient.method === 'email_only' && !settings.allow_email_only)
        problem({
          index,
          address: shown,
          field: 'method',
          problem: 'not_allowed',
          message: 'Your organisation does not allow e-mail-only recipients.',
        });
      if (problems.length > before || !address) continue;
      seenAddresses.add(address);
      holders.add(recipient.recipientId);
      holderIndex.set(recipient.recipientId, index);
      const code = recipient.method === 'access_code' ? recipient.accessCode : undefined;
      const hint = recipient.method === 'access_code' ? cleanHint(recipient.accessCodeHint) : null;
      participants.push({
        id: recipient.recipientId,
        conversation_id: input.conversationId,
        kind: 'guest',
        role: recipient.role,
        address,
        method: recipient.method,
        phone,
        access_code_salt: code ? bytes(code.salt) : null,
        access_code_params: code ? code.params : null,
        access_code_verifier: code ? bytes(code.verifierHash) : null,
        access_code_hint: hint,
        public_key: recipient.publicKey,
        server_share: bytes(recipient.serverShare),
        sent_at: now,
      });
      guests.push({ participantId: recipient.recipientId, address, linkSecret: recipient.linkSecret });
      if (recipient.remember !== false)
        directory.push({
          organisation_id: actor.organisationId,
          address,
          method: recipient.method,
          phone,
          access_code_hint: hint,
          updated_at: now,
        });
    }
  }

  const wrapped = checkWrappedKeys(input.wrappedKeys, holders);
  if (problems.length === 0) {
    for (const id of wrapped.missing)
      problem({
        index: holderIndex.get(id) ?? -1,
        field: 'wrappedKey',
        problem: 'missing',
        message:
          id === actor.userId
            ? 'The message is not encrypted to the sender.'
            : 'The message is not encrypted to this recipient.',
      });
    for (const id of wrapped.extra)
      problem({
        index: -1,
        field: 'wrappedKey',
        problem: 'unknown',
        message: `A wrapped key names no recipient (${id}).`,
      });
  }
  if (problems.length > 0) {
    throw new AppError(
      ErrorCode.recipientsIncomplete,
      'Some recipients are missing something; nothing was sent.',
      {
        recipients: problems,
      },
    );
  }

  const attachmentIds = input.attachments.map((a) => a.id);
  await requireOwnUploads(
    deps,
    { organisationId: actor.organisationId, userId: actor.userId },
    attachmentIds,
  );
  const owner = { organisationId: actor.organisationId, userId: actor.userId };
  const fileIds = (input.files ?? []).map((f) => f.id);
  await requireLinkableFiles(deps, owner, fileIds);

  const senderParticipant: ParticipantInsert = {
    id: crypto.randomUUID(),
    conversation_id: input.conversationId,
    kind: 'user',
    role: 'sender',
    user_id: actor.userId,
    sent_at: now,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertConversation(trx, {
        id: input.conversationId,
        organisation_id: actor.organisationId,
        sender_user_id: actor.userId,
        created_at: now,
        expires_at: expiresAt,
      });
      await insertParticipants(trx, [senderParticipant, ...participants]);
      await insertItem(
        trx,
        {
          id: input.itemId,
          conversation_id: input.conversationId,
          author_kind: 'user',
          author_user_id: actor.userId,
          author_participant_id: null,
          created_at: now,
          ciphertext: item,
        },
        wrapped.keys,
      );
      await attachUploads(trx, input.itemId, attachmentIds);
      await linkFilesToItem(trx, owner, input.itemId, fileIds);
      await insertEvents(
        trx,
        participants.map((p) => ({
          conversation_id: input.conversationId,
          participant_id: p.id,
          type: 'sent',
          occurred_at: now,
        })),
      );
      await upsertDirectoryEntries(trx, directory);
      for (const participant of participants) {
        const guest = guests.find((g) => g.participantId === participant.id);
        await deps.jobs.enqueue(
          NOTIFY_JOB,
          {
            participantId: participant.id,
            itemId: input.itemId,
            ...(guest ? { sealedLinkSecret: sealLinkSecret(deps, participant.id, guest.linkSecret) } : {}),
          },
          {},
          trx,
        );
      }
    });
  } catch (error) {
    // Two sends racing for the same ids: the database's unique keys decide, the loser hears 409.
    if ((error as { code?: string }).code === '23505')
      throw new AppError(ErrorCode.conflict, 'This conversation, item or recipient id is already used.');
    throw error;
  }

  for (const participant of participants) {
    await deps.audit.record({
      action: AuditAction.messageSent,
      outcome: 'success',
      organisationId: actor.organisationId,
      actor: auditActor(actor),
      accessPoint: origin,
      subjectPerson:
        participant.kind === 'guest'
          ? (participant.address ?? null)
          : (participant.user_id ?? participant.team_id ?? null),
      object: { type: 'conversation', id: input.conversationId },
      details: {
        participantId: participant.id,
        kind: participant.kind,
        role: participant.role,
        attachments: attachmentIds.length,
        files: fileIds.length,
      },
    });
  }
  return { conversationId: input.conversationId, itemId: input.itemId, expiresAt: expiresAt.toISOString() };
}
