import type { GuestConversation, GuestLanding, KeyHolder } from '@zegel/protocol/api';
import { fromBase64Url, toBase64Url, verifyAccessCodeProof } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { VerificationLimits } from '@zegel/protocol/limits';
import { createToken, hashToken } from '../../adapters/tokens.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import type { Limit } from '../../platform/throttle/index.ts';
import { type FileContent, isNewDownload } from '../files/download.ts';
import { createSmsCode, hashSmsCode } from '../guest-access/codes.ts';
import { maskPhone } from '../guest-access/phone.ts';
import { itemTime, loadItems, participantState } from './conversations.ts';
import { NOTIFY_SENDER_JOB } from './jobs.ts';
import { openConversationFile } from './message-files.ts';
import { checkItemCiphertext, checkWrappedKeys } from './send-message.ts';
import {
  attachUploads,
  consumeSmsCode,
  deleteGuestSession,
  incrementWrongCodes,
  insertEvents,
  insertGuestDevice,
  insertGuestSession,
  insertItem,
  lockParticipant,
  type ParticipantRow,
  selectAttachmentWithItem,
  selectConversation,
  selectGuestDevice,
  selectGuestSession,
  selectItemKeys,
  selectMessageSettings,
  selectParticipant,
  selectParticipants,
  updateParticipant,
} from './store.ts';
import { requireOwnUploads } from './uploads.ts';

/** Guessing limits, per guest, per address and per client address; counters in the database. */
const LIMITS = {
  landingPerIp: { max: 120, windowMs: 10 * 60_000 },
  verifyPerGuest: { max: 10, windowMs: 15 * 60_000 },
  verifyPerAddress: { max: 20, windowMs: 60 * 60_000 },
  verifyPerIp: { max: 30, windowMs: 15 * 60_000 },
  smsResend: { max: 1, windowMs: VerificationLimits.smsResendSeconds * 1000 },
  smsPerHour: { max: VerificationLimits.maxSmsPerHour, windowMs: 60 * 60_000 },
  noCode: { max: 3, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;

/** Cookies a guest request carries (read by routes.ts, which alone sees HTTP). */
export interface GuestCookies {
  session?: string | undefined;
  device?: string | undefined;
}

type Loaded = {
  participant: ParticipantRow;
  conversation: NonNullable<Awaited<ReturnType<typeof selectConversation>>>;
  org: NonNullable<Awaited<ReturnType<typeof selectMessageSettings>>>;
};

/** Loads a guest recipient; unknown ids, and staff participants, are simply "not found". */
async function loadGuest(deps: Deps, recipientId: string): Promise<Loaded> {
  const participant = await selectParticipant(deps.db, recipientId);
  if (participant?.kind !== 'guest') throw new AppError(ErrorCode.notFound, 'This link is not valid.');
  const conversation = await selectConversation(deps.db, participant.conversation_id);
  if (!conversation) throw new AppError(ErrorCode.notFound, 'This link is not valid.');
  const org = await selectMessageSettings(deps.db, conversation.organisation_id);
  if (!org) throw new AppError(ErrorCode.notFound, 'This link is not valid.');
  return { participant, conversation, org };
}

/** Refuses revoked (410), expired (410) and locked (423) guests: nothing decryptable after these. */
function requireActive(loaded: Loaded, now: Date): void {
  const state = participantState(loaded.participant, loaded.conversation, now);
  if (state === 'revoked')
    throw new AppError(ErrorCode.messageRevoked, 'The sender has withdrawn this message.');
  if (state === 'expired') throw new AppError(ErrorCode.messageExpired, 'This message has expired.');
  if (state === 'locked')
    throw new AppError(
      ErrorCode.messageLocked,
      'Too many wrong codes: this message is locked. The sender has been told.',
    );
}

async function throttle(deps: Deps, key: string, limit: Limit) {
  const result = await deps.throttle.hit(key, limit);
  if (!result.allowed)
    throw new AppError(ErrorCode.rateLimited, 'Too many attempts; try again later.', {
      retryAfterSeconds: result.retryAfterSeconds,
    });
}

async function audit(
  deps: Deps,
  loaded: Loaded,
  action: (typeof AuditAction)[keyof typeof AuditAction],
  outcome: 'success' | 'failure',
  origin: RequestOrigin,
  details: Record<string, unknown> = {},
) {
  await deps.audit.record({
    action,
    outcome,
    organisationId: loaded.conversation.organisation_id,
    actor: { userId: null, name: 'guest', role: 'guest', onBehalfOf: loaded.participant.address },
    accessPoint: origin,
    subjectPerson: loaded.participant.address,
    object: { type: 'conversation', id: loaded.conversation.id },
    details: { participantId: loaded.participant.id, ...details },
  });
}

async function validSession(deps: Deps, participantId: string, token: string | undefined, now: Date) {
  if (!token) return false;
  const session = await selectGuestSession(deps.db, hashToken(token));
  return !!session && session.participant_id === participantId && session.expires_at > now;
}

async function validDevice(deps: Deps, participantId: string, token: string | undefined, now: Date) {
  if (!token) return false;
  const device = await selectGuestDevice(deps.db, hashToken(token));
  return !!device && device.participant_id === participantId && device.expires_at > now;
}

/** The landing page: who wrote, how to verify, the state. No content and no key material. */
export async function getGuestLanding(
  deps: Deps,
  recipientId: string,
  cookies: GuestCookies,
  origin: RequestOrigin,
): Promise<GuestLanding> {
  await throttle(deps, `guest-landing-ip:${origin.ip}`, LIMITS.landingPerIp);
  const loaded = await loadGuest(deps, recipientId);
  const { participant, conversation, org } = loaded;
  const now = deps.clock.now();
  const state = participantState(participant, conversation, now);
  const isAccessCode =
    participant.method === 'access_code' && participant.access_code_salt && participant.access_code_params;
  return {
    recipientId,
    organisation: { name: org.name, slug: org.slug, branding: org.branding, hasLogo: org.logo_type !== null },
    senderName: conversation.contact_team_name ?? conversation.sender_name,
    method: participant.method ?? 'email_only',
    accessCodeHint: participant.access_code_hint,
    accessCode: isAccessCode
      ? {
          salt: toBase64Url(participant.access_code_salt as Uint8Array),
          params: participant.access_code_params as never,
        }
      : null,
    phoneHint: participant.phone ? maskPhone(participant.phone) : null,
    state,
    expiresAt: conversation.expires_at.toISOString(),
    hasSession: state === 'active' && (await validSession(deps, recipientId, cookies.session, now)),
    isRememberedBrowser: state === 'active' && (await validDevice(deps, recipientId, cookies.device, now)),
    rememberDays: org.guest_remember_days,
  };
}

/** Sends a fresh SMS code (the previous one stops working). Resending is throttled. */
export async function sendGuestSmsCode(deps: Deps, recipientId: string, origin: RequestOrigin) {
  const loaded = await loadGuest(deps, recipientId);
  const now = deps.clock.now();
  requireActive(loaded, now);
  const { participant } = loaded;
  if (participant.method !== 'sms' || !participant.phone)
    throw new AppError(ErrorCode.validationFailed, 'This message is not verified by SMS.');
  await throttle(deps, `guest-sms-resend:${recipientId}`, LIMITS.smsResend);
  await throttle(deps, `guest-sms-hour:${recipientId}`, LIMITS.smsPerHour);
  await throttle(deps, `guest-verify-ip:${origin.ip}`, LIMITS.verifyPerIp);
  const { code, expiresAt } = createSmsCode(now);
  await updateParticipant(deps.db, recipientId, {
    sms_code_hash: hashSmsCode(deps.config.secret as string, recipientId, code),
    sms_code_expires_at: expiresAt,
  });
  await deps.sms.send({
    to: participant.phone,
    text: `Uw code voor het beveiligde bericht van ${loaded.org.name}: ${code}. Geldig ${VerificationLimits.smsCodeLifetimeMinutes} minuten. Deel deze code met niemand.`,
  });
  await audit(deps, loaded, AuditAction.guestSmsSent, 'success', origin);
  return {
    phoneHint: maskPhone(participant.phone),
    expiresAt: expiresAt.toISOString(),
    resendAfterSeconds: VerificationLimits.smsResendSeconds,
  };
}

/**
 * Checks the SMS code or access-code proof (or a remembered browser, or nothing for e-mail-only)
 * and only then releases the server share with a short guest session. Wrong codes count in the
 * database, so guessing across processes adds up; the fifth wrong code locks the guest out,
 * tells the sender and is audited.
 */
export async function verifyGuest(
  deps: Deps,
  recipientId: string,
  input: { code?: string | undefined; proof?: string | undefined; rememberBrowser?: boolean | undefined },
  cookies: GuestCookies,
  origin: RequestOrigin,
) {
  const loaded = await loadGuest(deps, recipientId);
  const now = deps.clock.now();
  requireActive(loaded, now);
  const { participant } = loaded;
  await throttle(deps, `guest-verify:${recipientId}`, LIMITS.verifyPerGuest);
  await throttle(
    deps,
    `guest-verify-address:${loaded.conversation.organisation_id}:${participant.address}`,
    LIMITS.verifyPerAddress,
  );
  await throttle(deps, `guest-verify-ip:${origin.ip}`, LIMITS.verifyPerIp);

  let passed = false;
  const remembered = await validDevice(deps, recipientId, cookies.device, now);
  if (input.code === undefined && input.proof === undefined) {
    passed = remembered || participant.method === 'email_only';
  } else if (participant.method === 'sms' && input.code !== undefined) {
    passed = await consumeSmsCode(
      deps.db,
      recipientId,
      hashSmsCode(deps.config.secret as string, recipientId, input.code),
      now,
    );
  } else if (
    participant.method === 'access_code' &&
    input.proof !== undefined &&
    participant.access_code_verifier
  ) {
    passed = await verifyAccessCodeProof(fromBase64Url(input.proof), {
      salt: participant.access_code_salt as Uint8Array<ArrayBuffer>,
      params: participant.access_code_params as never,
      verifierHash: participant.access_code_verifier as Uint8Array<ArrayBuffer>,
    });
  }

  if (!passed) {
    const wrong = await incrementWrongCodes(deps.db, recipientId);
    await audit(deps, loaded, AuditAction.guestVerificationFailed, 'failure', origin, { wrongCodes: wrong });
    if (wrong >= VerificationLimits.maxWrongCodes) {
      if (await lockParticipant(deps.db, recipientId, now)) {
        await insertEvents(deps.db, [
          {
            conversation_id: loaded.conversation.id,
            participant_id: recipientId,
            type: 'locked',
            occurred_at: now,
          },
        ]);
        await audit(deps, loaded, AuditAction.guestLocked, 'failure', origin);
        await deps.jobs.enqueue(NOTIFY_SENDER_JOB, { participantId: recipientId, notice: 'locked' });
      }
      throw new AppError(
        ErrorCode.messageLocked,
        'Too many wrong codes: this message is locked. The sender has been told.',
      );
    }
    throw new AppError(ErrorCode.verificationFailed, 'The code is not correct or no longer valid.', {
      attemptsLeft: VerificationLimits.maxWrongCodes - wrong,
    });
  }

  const share = participant.server_share;
  if (!share) throw new AppError(ErrorCode.messageExpired, 'This message is no longer available.');
  const token = createToken();
  const sessionExpiresAt = new Date(now.getTime() + VerificationLimits.guestSessionMinutes * 60_000);
  await insertGuestSession(deps.db, {
    id: crypto.randomUUID(),
    participant_id: recipientId,
    token_hash: hashToken(token),
    created_at: now,
    expires_at: sessionExpiresAt,
  });
  await updateParticipant(deps.db, recipientId, {
    wrong_codes: 0,
    ...(participant.verified_at ? {} : { verified_at: now }),
  });
  await insertEvents(deps.db, [
    {
      conversation_id: loaded.conversation.id,
      participant_id: recipientId,
      type: 'verified',
      occurred_at: now,
    },
  ]);
  let device: { token: string; expiresAt: Date } | undefined;
  const days = Math.min(loaded.org.guest_remember_days, VerificationLimits.maxRememberDays);
  if (input.rememberBrowser && days > 0 && !remembered) {
    device = { token: createToken(), expiresAt: new Date(now.getTime() + days * 86_400_000) };
    await insertGuestDevice(deps.db, {
      id: crypto.randomUUID(),
      participant_id: recipientId,
      token_hash: hashToken(device.token),
      created_at: now,
      expires_at: device.expiresAt,
    });
  }
  await audit(deps, loaded, AuditAction.guestVerified, 'success', origin, {
    method: remembered && !input.code && !input.proof ? 'remembered_browser' : participant.method,
  });
  return {
    response: { serverShare: toBase64Url(share), sessionExpiresAt: sessionExpiresAt.toISOString() },
    session: { token, expiresAt: sessionExpiresAt },
    device,
  };
}

/** "I don't have the code": tells the sender (throttled, audited). */
export async function reportNoCode(deps: Deps, recipientId: string, origin: RequestOrigin) {
  const loaded = await loadGuest(deps, recipientId);
  requireActive(loaded, deps.clock.now());
  await throttle(deps, `guest-no-code:${recipientId}`, LIMITS.noCode);
  const now = deps.clock.now();
  await updateParticipant(deps.db, recipientId, { no_code_at: now });
  await insertEvents(deps.db, [
    {
      conversation_id: loaded.conversation.id,
      participant_id: recipientId,
      type: 'no_code',
      occurred_at: now,
    },
  ]);
  await deps.jobs.enqueue(NOTIFY_SENDER_JOB, { participantId: recipientId, notice: 'no_code' });
  await audit(deps, loaded, AuditAction.guestNoCode, 'success', origin);
  return { ok: true as const };
}

/** A verified guest session for this recipient, on an active message. */
async function requireGuestSession(deps: Deps, recipientId: string, cookies: GuestCookies) {
  const loaded = await loadGuest(deps, recipientId);
  const now = deps.clock.now();
  requireActive(loaded, now);
  if (!(await validSession(deps, recipientId, cookies.session, now)))
    throw new AppError(ErrorCode.guestSessionRequired, 'Confirm who you are first.');
  return loaded;
}

export async function endGuestSession(deps: Deps, token: string | undefined) {
  if (token) await deleteGuestSession(deps.db, hashToken(token));
  return { ok: true as const };
}

function replyRecipients(participants: ParticipantRow[]): KeyHolder[] {
  return participants
    .filter((p) => p.role !== 'bcc' || p.kind !== 'user')
    .flatMap((p): KeyHolder[] => {
      if (
        p.kind === 'user' &&
        p.user_public_key &&
        (p.role === 'sender' || p.role === 'to' || p.role === 'cc')
      )
        return [
          {
            holderId: p.user_id as string,
            kind: 'user' as const,
            name: p.user_name ?? '',
            publicKey: p.user_public_key,
          },
        ];
      if (p.kind === 'team' && p.team_public_key && p.role !== 'bcc')
        return [
          {
            holderId: p.team_id as string,
            kind: 'team' as const,
            name: p.team_name ?? '',
            publicKey: p.team_public_key,
          },
        ];
      return [];
    });
}

/** The guest's view: items they hold a key for, the server share, and whom a reply goes to. Records "opened". */
export async function getGuestConversation(
  deps: Deps,
  recipientId: string,
  cookies: GuestCookies,
  origin: RequestOrigin,
): Promise<GuestConversation> {
  const loaded = await requireGuestSession(deps, recipientId, cookies);
  const { participant, conversation, org } = loaded;
  if (!participant.server_share)
    throw new AppError(ErrorCode.messageExpired, 'This message is no longer available.');
  const now = deps.clock.now();
  const items = (await loadItems(deps, [conversation.id], [recipientId])).filter(
    (i) => i.wrappedKeys.length > 0,
  );
  const participants = await selectParticipants(deps.db, [conversation.id]);
  await updateParticipant(deps.db, recipientId, {
    last_opened_at: now,
    ...(participant.opened_at ? {} : { opened_at: now }),
  });
  if (!participant.opened_at)
    await insertEvents(deps.db, [
      { conversation_id: conversation.id, participant_id: recipientId, type: 'opened', occurred_at: now },
    ]);
  await audit(deps, loaded, AuditAction.guestOpened, 'success', origin);
  return {
    conversationId: conversation.id,
    recipientId,
    serverShare: toBase64Url(participant.server_share),
    guestPublicKey: participant.public_key as string,
    senderName: conversation.contact_team_name ?? conversation.sender_name,
    organisationName: org.name,
    expiresAt: conversation.expires_at.toISOString(),
    items: items.map(({ conversationId: _, ...item }) => ({
      ...item,
      // The person sees the team that answered, not which member wrote it.
      author: item.author.team ? { kind: item.author.kind, ...item.author.team } : item.author,
    })),
    replyRecipients: replyRecipients(participants),
  };
}

/** An attachment ciphertext for the verified guest, if they hold a key to its item. Records "downloaded". */
export async function getGuestAttachment(
  deps: Deps,
  recipientId: string,
  attachmentId: string,
  cookies: GuestCookies,
  origin: RequestOrigin,
) {
  const loaded = await requireGuestSession(deps, recipientId, cookies);
  const attachment = await selectAttachmentWithItem(deps.db, attachmentId);
  if (!attachment || attachment.conversation_id !== loaded.conversation.id)
    throw new AppError(ErrorCode.notFound, 'No such attachment.');
  const keys = await selectItemKeys(deps.db, [attachment.item_id as string], [recipientId]);
  if (keys.length === 0) throw new AppError(ErrorCode.notFound, 'No such attachment.');
  const data = await deps.blobs.get(attachment.blob_key);
  if (!data) throw new AppError(ErrorCode.notFound, 'The attachment is no longer stored.');
  await insertEvents(deps.db, [
    {
      conversation_id: loaded.conversation.id,
      participant_id: recipientId,
      type: 'downloaded',
      attachment_id: attachmentId,
      occurred_at: deps.clock.now(),
    },
  ]);
  await audit(deps, loaded, AuditAction.attachmentDownloaded, 'success', origin, { attachmentId });
  return data;
}

/**
 * A large file's ciphertext for the verified guest, if they hold a key to its item; streamed,
 * with `Range`. Records "downloaded" (with the file id) for a download from the first byte.
 */
export async function getGuestFile(
  deps: Deps,
  recipientId: string,
  fileId: string,
  rangeHeader: string | undefined,
  cookies: GuestCookies,
  origin: RequestOrigin,
): Promise<FileContent> {
  const loaded = await requireGuestSession(deps, recipientId, cookies);
  const content = await openConversationFile(
    deps,
    loaded.conversation.id,
    fileId,
    [recipientId],
    rangeHeader,
  );
  if (isNewDownload(content)) {
    await insertEvents(deps.db, [
      {
        conversation_id: loaded.conversation.id,
        participant_id: recipientId,
        type: 'downloaded',
        file_id: fileId,
        occurred_at: deps.clock.now(),
      },
    ]);
    await audit(deps, loaded, AuditAction.fileDownloaded, 'success', origin, {
      fileId,
      range: content.range ? 'from-start' : 'whole',
    });
  }
  return content;
}

/** The verified guest's own upload (a reply attachment). */
export async function requireGuestUploader(deps: Deps, recipientId: string, cookies: GuestCookies) {
  const loaded = await requireGuestSession(deps, recipientId, cookies);
  return { organisationId: loaded.conversation.organisation_id, participantId: recipientId };
}

/** A reply from the guest, encrypted in their browser to the staff side and to themselves. */
export async function addGuestReply(
  deps: Deps,
  recipientId: string,
  input: {
    itemId: string;
    item: string;
    attachments: { id: string }[];
    wrappedKeys: { holderId: string; wrappedKey: string }[];
  },
  cookies: GuestCookies,
  origin: RequestOrigin,
) {
  const loaded = await requireGuestSession(deps, recipientId, cookies);
  const now = itemTime(deps.clock.now(), loaded.conversation.last_activity_at);
  const ciphertext = checkItemCiphertext(input.item);
  const participants = await selectParticipants(deps.db, [loaded.conversation.id]);
  const expected = new Set([...replyRecipients(participants).map((r) => r.holderId), recipientId]);
  const wrapped = checkWrappedKeys(input.wrappedKeys, expected);
  if (wrapped.missing.length || wrapped.extra.length)
    throw new AppError(
      ErrorCode.validationFailed,
      'Encrypt the reply to exactly the listed recipients and yourself.',
      { missing: wrapped.missing, extra: wrapped.extra },
    );
  const attachmentIds = input.attachments.map((a) => a.id);
  await requireOwnUploads(
    deps,
    { organisationId: loaded.conversation.organisation_id, participantId: recipientId },
    attachmentIds,
  );
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertItem(
        trx,
        {
          id: input.itemId,
          conversation_id: loaded.conversation.id,
          author_kind: 'guest',
          author_user_id: null,
          author_participant_id: recipientId,
          created_at: now,
          ciphertext,
        },
        wrapped.keys,
      );
      await attachUploads(trx, input.itemId, attachmentIds);
      await insertEvents(trx, [
        {
          conversation_id: loaded.conversation.id,
          participant_id: recipientId,
          type: 'replied',
          occurred_at: now,
        },
      ]);
      await deps.jobs.enqueue(NOTIFY_SENDER_JOB, { participantId: recipientId, notice: 'replied' }, {}, trx);
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new AppError(ErrorCode.conflict, 'This item id is already used.');
    throw error;
  }
  await audit(deps, loaded, AuditAction.guestReplied, 'success', origin, {
    itemId: input.itemId,
    attachments: attachmentIds.length,
  });
  return { itemId: input.itemId, createdAt: now.toISOString() };
}
