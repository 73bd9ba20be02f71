import type { SignInProofOfWork } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { keyedHash } from '../../adapters/tokens.ts';
import type { Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { signInLimits, signInProofOfWork, throttleKey } from './limits.ts';
import { serverSecret } from './server-secret.ts';
import { issueSignInChallenge, requiredDifficulty, spendSolvedChallenge } from './sign-in-challenge.ts';
import { readSignInDevice } from './sign-in-device.ts';
import { recordRefusedSignIn } from './sign-in-storms.ts';
import type { UserRow } from './store.ts';

export interface SignInAttempt {
  email: string;
  user: UserRow | undefined;
  deviceCookie: string | undefined;
  proofOfWork: SignInProofOfWork | undefined;
}

/** An attempt let through to the password check; `succeeded` takes its counts back. */
export interface Admission {
  device: 'known' | 'unknown';
  succeeded(): Promise<void>;
}

/**
 * Decides whether a sign-in attempt may have its password checked, counting it first (one atomic
 * step per counter, so a parallel burst gets no more checks than the rules allow). A browser with
 * the account's device cookie counts only against itself; every other browser shares the
 * account's unknown-devices counter: delays, then a proof of work, never a lock.
 */
export async function admitSignInAttempt(
  deps: Deps,
  attempt: SignInAttempt,
  origin: RequestOrigin,
): Promise<Admission> {
  const device = attempt.user ? readSignInDevice(deps, attempt.user, attempt.deviceCookie) : undefined;
  if (device) {
    const key = throttleKey.device(device.nonce);
    const state = await deps.throttle.hit(key, signInLimits.perDevice);
    if (state.allowed) return { device: 'known', succeeded: () => deps.throttle.reset(key) };
    // A known browser that guessed too often is treated as unknown from here on.
  }
  return admitUnknownBrowser(deps, attempt, origin);
}

async function admitUnknownBrowser(
  deps: Deps,
  attempt: SignInAttempt,
  origin: RequestOrigin,
): Promise<Admission> {
  const addressKey = throttleKey.address(origin.ip);
  const address = await deps.throttle.hit(addressKey, signInLimits.perAddress);
  if (!address.allowed) {
    await recordRefusedSignIn(deps, attempt.user, origin, 'address_limit');
    throw new AppError(
      ErrorCode.rateLimited,
      'Too many failed sign-ins from this network. Try again later.',
      {
        retryAfterSeconds: address.retryAfterSeconds,
      },
    );
  }
  const solved = attempt.proofOfWork
    ? await spendSolvedChallenge(deps, attempt.email, attempt.proofOfWork)
    : undefined;
  const key = throttleKey.unknownDevices(
    keyedHash(serverSecret(deps), 'zegel/sign-in-key/v1', attempt.email).toString('base64url'),
  );
  const state = await deps.throttle.hitWithBackoff(key, signInLimits.unknownDevices);
  if (!state.allowed) {
    await deps.throttle.release(addressKey);
    await recordRefusedSignIn(deps, attempt.user, origin, 'delayed');
    throw new AppError(ErrorCode.signInDelayed, 'Please wait a moment before you try again.', {
      retryAfterSeconds: state.retryAfterSeconds,
    });
  }
  const required = requiredDifficulty(state.hits);
  // One bit of slack: the difficulty may have grown while this browser was solving.
  const solvedEnough = solved !== undefined && solved >= Math.max(signInProofOfWork.minBits, required - 1);
  if (required > 0 && !solvedEnough) {
    await deps.throttle.release(key);
    await deps.throttle.release(addressKey);
    await recordRefusedSignIn(deps, attempt.user, origin, 'proof_of_work_required');
    throw new AppError(
      ErrorCode.proofOfWorkRequired,
      'Many sign-ins to this account failed. Your browser first solves a small puzzle.',
      issueSignInChallenge(deps, attempt.email, required),
    );
  }
  return {
    device: 'unknown',
    succeeded: async () => {
      await deps.throttle.release(key);
      await deps.throttle.release(addressKey);
    },
  };
}
