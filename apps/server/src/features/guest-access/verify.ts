import { fromBase64Url, verifyAccessCodeProof } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { VerificationLimits } from '@zegel/protocol/limits';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Limit } from '../../platform/throttle/index.ts';
import { hashSmsCode } from './codes.ts';
import { GuestLimits } from './limits.ts';
import {
  type GuestCookies,
  type IssuedToken,
  isRememberedBrowser,
  openGuestSession,
  rememberBrowser,
} from './sessions.ts';
import {
  type CredentialsRow,
  clearLock,
  consumeSmsCode,
  lockCredentials,
  reserveAttempt,
  selectCredentials,
  updateCredentials,
} from './store.ts';

/** Throws 429 with the wait when a guessable thing was tried too often. */
export async function throttleGuest(deps: Deps, key: string, limit: Limit): Promise<void> {
  const result = await deps.throttle.hit(key, limit);
  if (!result.allowed)
    throw new AppError(ErrorCode.rateLimited, 'Too many attempts; try again later.', {
      retryAfterSeconds: result.retryAfterSeconds,
    });
}

export interface VerifyInput {
  code?: string | undefined;
  proof?: string | undefined;
  rememberBrowser?: boolean | undefined;
}

/** A running lock: until when, and whether this attempt started it (`lockCount` 1 is the first in a row). */
export interface GuestLock {
  lockedUntil: Date;
  startedNow: { lockCount: number } | null;
}

export type VerifyOutcome =
  | { passed: false; wrongCodes: number; lock: GuestLock | null }
  | {
      passed: true;
      serverShare: Uint8Array;
      session: IssuedToken;
      device: IssuedToken | undefined;
      method: CredentialsRow['method'] | 'remembered_browser';
    };

/**
 * Checks the SMS code or access-code proof (or a remembered browser, or nothing for e-mail-only)
 * and only then releases the server share with a short guest session. The caller checked the
 * link proof first, so only someone holding the link counts here. Wrong codes count in the
 * database, so guessing across processes adds up; the fifth starts a lock that ends (a minute,
 * doubling with each lock in a row, capped); the caller tells the sender about the first.
 * `scope` names the guest's organisation and address for the per-address limit.
 */
export async function verifyGuestCredentials(
  deps: Deps,
  participantId: string,
  input: VerifyInput,
  context: { cookies: GuestCookies; organisationId: string; address: string; rememberDays: number },
  origin: RequestOrigin,
): Promise<VerifyOutcome> {
  await throttleGuest(deps, `guest-verify:${participantId}`, GuestLimits.verifyPerGuest);
  await throttleGuest(
    deps,
    `guest-verify-address:${context.organisationId}:${context.address}`,
    GuestLimits.verifyPerAddress,
  );
  await throttleGuest(deps, `guest-verify-ip:${origin.ip}`, GuestLimits.verifyPerIp);
  const [credentials] = await selectCredentials(deps.db, [participantId]);
  if (!credentials) throw new AppError(ErrorCode.notFound, 'This link is not valid.');
  const now = deps.clock.now();
  const remembered = await isRememberedBrowser(deps, participantId, context.cookies.device, now);
  // Counted before it is checked: a burst of parallel guesses checks at most the limit's codes.
  const counted = await reserveAttempt(deps.db, participantId, VerificationLimits.maxWrongCodes, now);
  if (counted === undefined)
    return {
      passed: false,
      wrongCodes: VerificationLimits.maxWrongCodes,
      lock: await currentLock(deps, participantId, now),
    };
  if (!(await isProofValid(deps, credentials, input, remembered, now))) {
    const lock =
      counted >= VerificationLimits.maxWrongCodes ? await currentLock(deps, participantId, now) : null;
    return { passed: false, wrongCodes: counted, lock };
  }
  if (!credentials.server_share)
    throw new AppError(ErrorCode.messageExpired, 'This message is no longer available.');
  const session = await openGuestSession(deps, participantId, now);
  await clearLock(deps.db, participantId);
  if (!credentials.verified_at) await updateCredentials(deps.db, participantId, { verified_at: now });
  const days = Math.min(context.rememberDays, VerificationLimits.maxRememberDays);
  const device =
    input.rememberBrowser && days > 0 && !remembered
      ? await rememberBrowser(deps, participantId, days, now)
      : undefined;
  const usedRemembered = remembered && !input.code && !input.proof;
  return {
    passed: true,
    serverShare: credentials.server_share,
    session,
    device,
    method: usedRemembered ? 'remembered_browser' : credentials.method,
  };
}

/**
 * The lock once the limit is reached: started by this call (of parallel calls, the one statement
 * that sets it wins) or the one another call set.
 */
async function currentLock(deps: Deps, participantId: string, now: Date): Promise<GuestLock> {
  const started = await lockCredentials(
    deps.db,
    participantId,
    {
      maxWrongCodes: VerificationLimits.maxWrongCodes,
      firstSeconds: VerificationLimits.firstLockSeconds,
      maxSeconds: VerificationLimits.maxLockSeconds,
    },
    now,
  );
  if (started) return { lockedUntil: started.lockedUntil, startedNow: { lockCount: started.lockCount } };
  const [row] = await selectCredentials(deps.db, [participantId]);
  const until =
    row?.locked_until && row.locked_until > now ? row.locked_until : new Date(now.getTime() + 1000);
  return { lockedUntil: until, startedNow: null };
}

async function isProofValid(
  deps: Deps,
  credentials: CredentialsRow,
  input: VerifyInput,
  remembered: boolean,
  now: Date,
): Promise<boolean> {
  const id = credentials.participant_id;
  if (input.code === undefined && input.proof === undefined)
    return remembered || credentials.method === 'email_only';
  if (credentials.method === 'sms' && input.code !== undefined)
    return consumeSmsCode(deps.db, id, hashSmsCode(deps.config.secret, id, input.code), now);
  if (credentials.method === 'access_code' && input.proof !== undefined && credentials.access_code_verifier)
    return verifyAccessCodeProof(fromBase64Url(input.proof), {
      salt: credentials.access_code_salt as Uint8Array<ArrayBuffer>,
      params: credentials.access_code_params as never,
      verifierHash: credentials.access_code_verifier as Uint8Array<ArrayBuffer>,
    });
  return false;
}
