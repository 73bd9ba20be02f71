import type { GuestLanding } from '@zegel/protocol/api';
import { toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { VerificationLimits } from '@zegel/protocol/limits';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction } from '../../platform/audit/index.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import {
  type GuestCookies,
  GuestLimits,
  hasGuestSession,
  isRememberedBrowser,
  recordNoCode,
  requireLinkProof,
  sendGuestSmsCode,
  throttleGuest,
  type VerifyInput,
  verifyGuestCredentials,
} from '../guest-access/index.ts';
import { insertEvents } from './event-store.ts';
import { auditGuest, type GuestContext, loadGuest, requireActive } from './guest-context.ts';
import { notifySenderJob } from './job-types.ts';
import { participantState } from './participants.ts';
import { lockedError } from './policy.ts';

/**
 * A guest before verification: known, and the caller proved the link secret (`linkProof`).
 * Without the proof nothing is shown, counted or sent (403 `link_proof_invalid`).
 */
async function loadProvenGuest(deps: Deps, recipientId: string, linkProof: string | undefined) {
  const guest = await loadGuest(deps, recipientId);
  await requireLinkProof(deps, recipientId, linkProof);
  return guest;
}

/** The landing page: who wrote, how to verify, the state. No content and no key material. */
export async function getGuestLanding(
  deps: Deps,
  recipientId: string,
  linkProof: string | undefined,
  cookies: GuestCookies,
  origin: RequestOrigin,
): Promise<GuestLanding> {
  await throttleGuest(deps, `guest-landing-ip:${origin.ip}`, GuestLimits.landingPerIp);
  const { participant, conversation, org } = await loadProvenGuest(deps, recipientId, linkProof);
  const now = deps.clock.now();
  const state = participantState(participant, conversation, now);
  const guest = participant.guest;
  return {
    recipientId,
    organisation: { name: org.name, slug: org.slug, branding: org.branding, hasLogo: org.logo_type !== null },
    senderName: conversation.staff_name,
    method: guest?.method ?? 'email_only',
    accessCodeHint: guest?.accessCodeHint ?? null,
    accessCode: guest?.accessCode
      ? { salt: toBase64Url(guest.accessCode.salt), params: guest.accessCode.params }
      : null,
    phoneHint: guest?.phoneHint ?? null,
    state,
    lockedUntil: state === 'locked' ? (guest?.lockedUntil?.toISOString() ?? null) : null,
    expiresAt: conversation.expires_at.toISOString(),
    hasSession: state === 'active' && (await hasGuestSession(deps, recipientId, cookies.session, now)),
    isRememberedBrowser:
      state === 'active' && (await isRememberedBrowser(deps, recipientId, cookies.device, now)),
    rememberDays: org.guest_remember_days,
  };
}

/** Sends a fresh SMS code (the previous one stops working). Resending is throttled. */
export async function sendGuestCode(
  deps: Deps,
  recipientId: string,
  linkProof: string | undefined,
  origin: RequestOrigin,
) {
  const guest = await loadProvenGuest(deps, recipientId, linkProof);
  requireActive(guest, deps.clock.now());
  const result = await sendGuestSmsCode(deps, recipientId, { organisationName: guest.org.name }, origin);
  await auditGuest(deps, guest, AuditAction.guestSmsSent, 'success', origin);
  return result;
}

async function event(deps: Deps, guest: GuestContext, type: string) {
  await insertEvents(deps.db, [
    {
      conversation_id: guest.conversation.id,
      participant_id: guest.participant.id,
      type,
      occurred_at: deps.clock.now(),
    },
  ]);
}

/**
 * Checks the guest's code (guest-access does the counting and the lock) and releases the server
 * share with a short session. A lock that wrong codes start is recorded here as a receipt and
 * audited; the first in a row is told to the sender (a later one, after it ended, is not).
 */
export async function verifyGuest(
  deps: Deps,
  recipientId: string,
  input: VerifyInput & { linkProof?: string | undefined },
  cookies: GuestCookies,
  origin: RequestOrigin,
) {
  const guest = await loadProvenGuest(deps, recipientId, input.linkProof);
  requireActive(guest, deps.clock.now());
  const outcome = await verifyGuestCredentials(
    deps,
    recipientId,
    input,
    {
      cookies,
      organisationId: guest.conversation.organisation_id,
      address: guest.participant.address as string,
      rememberDays: guest.org.guest_remember_days,
    },
    origin,
  );
  if (!outcome.passed) {
    await auditGuest(deps, guest, AuditAction.guestVerificationFailed, 'failure', origin, {
      wrongCodes: outcome.wrongCodes,
    });
    if (outcome.lock) {
      const started = outcome.lock.startedNow;
      if (started) await recordLock(deps, guest, started.lockCount, outcome.lock.lockedUntil, origin);
      throw lockedError(outcome.lock.lockedUntil, deps.clock.now());
    }
    throw new AppError(ErrorCode.verificationFailed, 'The code is not correct or no longer valid.', {
      attemptsLeft: VerificationLimits.maxWrongCodes - outcome.wrongCodes,
    });
  }
  await event(deps, guest, 'verified');
  await auditGuest(deps, guest, AuditAction.guestVerified, 'success', origin, { method: outcome.method });
  return {
    response: {
      serverShare: toBase64Url(outcome.serverShare),
      sessionExpiresAt: outcome.session.expiresAt.toISOString(),
    },
    session: outcome.session,
    device: outcome.device,
  };
}

async function recordLock(
  deps: Deps,
  guest: GuestContext,
  lockCount: number,
  lockedUntil: Date,
  origin: RequestOrigin,
) {
  await event(deps, guest, 'locked');
  await auditGuest(deps, guest, AuditAction.guestLocked, 'failure', origin, {
    lockCount,
    lockedUntil: lockedUntil.toISOString(),
  });
  if (lockCount === 1)
    await enqueueJob(deps.jobs, notifySenderJob, { participantId: guest.participant.id, notice: 'locked' });
}

/** "I don't have the code": tells the sender (throttled, audited). */
export async function reportNoCode(
  deps: Deps,
  recipientId: string,
  linkProof: string | undefined,
  origin: RequestOrigin,
) {
  const guest = await loadProvenGuest(deps, recipientId, linkProof);
  requireActive(guest, deps.clock.now());
  await throttleGuest(deps, `guest-no-code:${recipientId}`, GuestLimits.noCode);
  await recordNoCode(deps, recipientId, deps.clock.now());
  await event(deps, guest, 'no_code');
  await enqueueJob(deps.jobs, notifySenderJob, { participantId: recipientId, notice: 'no_code' });
  await auditGuest(deps, guest, AuditAction.guestNoCode, 'success', origin);
  return { ok: true as const };
}
