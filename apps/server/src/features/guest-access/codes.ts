import { VerificationLimits } from '@zegel/protocol/limits';
import { createNumericCode, keyedHash } from '../../adapters/tokens.ts';

/** A fresh SMS code and when it stops working. */
export function createSmsCode(now: Date): { code: string; expiresAt: Date } {
  return {
    code: createNumericCode(VerificationLimits.smsCodeLength),
    expiresAt: new Date(now.getTime() + VerificationLimits.smsCodeLifetimeMinutes * 60_000),
  };
}

/**
 * SMS codes are stored as a keyed hash bound to the recipient: six digits are trivially
 * guessable from a plain hash, so a dump without the server secret must not reveal them.
 */
export function hashSmsCode(secret: string, recipientId: string, code: string): string {
  return keyedHash(secret, 'zegel/sms-code/v1', `${recipientId}:${code}`).toString('base64url');
}
