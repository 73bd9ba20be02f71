import { ErrorCode } from '@zegel/protocol/errors';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { createRandomBytes, hashToken } from '../../adapters/tokens.ts';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import {
  claimTotpStep,
  consumeRecoveryCode,
  replaceRecoveryCodes,
  type UserRow,
  updateUserRow,
} from './store.ts';

const TOTP_PURPOSE = 'totp-secret';
const PERIOD_SECONDS = 30;
const RECOVERY_CODE_COUNT = 10;
/** Crockford-style alphabet: no 0/O, 1/I/L confusion when someone types a code from paper. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function totpFor(user: Pick<UserRow, 'email'>, secret: Secret): TOTP {
  return new TOTP({
    issuer: 'Zegel',
    label: user.email,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret,
  });
}

/** Starts (or restarts) TOTP enrolment: a new secret, sealed at rest, not yet active. */
export async function beginTotpEnrolment(deps: Deps, user: UserRow) {
  if (user.totp_enabled_at) throw new AppError(ErrorCode.conflict, 'An authenticator app is already set up.');
  const secret = new Secret({ size: 20 });
  await updateUserRow(deps.db, user.id, {
    totp_secret_sealed: deps.secretBox.seal(secret.base32, TOTP_PURPOSE),
  });
  const uri = totpFor(user, secret).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { otpauthUri: uri, secret: secret.base32, qrSvg };
}

/**
 * Checks a 6-digit code against the user's secret, allowing one step of clock drift either
 * way. Each time step is accepted once, so a code seen over someone's shoulder cannot be
 * replayed within its 30 seconds.
 */
export async function verifyTotpCode(deps: Deps, user: UserRow, code: string): Promise<boolean> {
  if (!user.totp_secret_sealed || !/^\d{6}$/.test(code)) return false;
  const secret = Secret.fromBase32(deps.secretBox.open(user.totp_secret_sealed, TOTP_PURPOSE));
  const timestamp = deps.clock.now().getTime();
  const delta = totpFor(user, secret).validate({ token: code, timestamp, window: 1 });
  if (delta === null) return false;
  const step = Math.floor(timestamp / 1000 / PERIOD_SECONDS) + delta;
  return claimTotpStep(deps.db, user.id, step);
}

/** Activates TOTP after the first correct code and returns fresh recovery codes (shown once). */
export async function confirmTotpEnrolment(deps: Deps, user: UserRow, code: string): Promise<string[]> {
  if (user.totp_enabled_at) throw new AppError(ErrorCode.conflict, 'An authenticator app is already set up.');
  if (!user.totp_secret_sealed)
    throw new AppError(ErrorCode.conflict, 'Start setting up the authenticator app first.');
  if (!(await verifyTotpCode(deps, user, code))) {
    throw new AppError(
      ErrorCode.secondFactorInvalid,
      'That code is not right. Check the time on your phone and try the newest code.',
    );
  }
  await updateUserRow(deps.db, user.id, { totp_enabled_at: deps.clock.now() });
  return renewRecoveryCodes(deps, user.id);
}

export async function renewRecoveryCodes(deps: Deps, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => createRecoveryCode());
  await replaceRecoveryCodes(
    deps.db,
    userId,
    codes.map((c) => hashToken(normaliseRecoveryCode(c))),
  );
  return codes;
}

/** Uses a recovery code instead of a TOTP code; each works once. */
export function useRecoveryCode(deps: Deps, userId: string, code: string): Promise<boolean> {
  const normalised = normaliseRecoveryCode(code);
  if (normalised.length !== 12) return Promise.resolve(false);
  return consumeRecoveryCode(deps.db, userId, hashToken(normalised), deps.clock.now());
}

function createRecoveryCode(): string {
  // 12 characters from a 31-letter alphabet: about 59 bits, plenty for a single-use code.
  // Bytes of 248 and up are skipped so every letter is equally likely (248 = 8 × 31).
  let chars = '';
  while (chars.length < 12) {
    for (const byte of createRandomBytes(16)) {
      if (byte < 248 && chars.length < 12) chars += RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length];
    }
  }
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** A recovery code looks like `ABCD-EFGH-JKMN`; a TOTP code is six digits. */
export function isRecoveryCodeShape(code: string): boolean {
  return normaliseRecoveryCode(code).length === 12;
}
