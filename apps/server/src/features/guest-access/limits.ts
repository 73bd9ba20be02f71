import { VerificationLimits } from '@zegel/protocol/limits';
import type { Limit } from '../../platform/throttle/index.ts';

/** Guessing limits, per guest, per address and per client address; counters in the database. */
export const GuestLimits = {
  landingPerIp: { max: 120, windowMs: 10 * 60_000 },
  verifyPerGuest: { max: 10, windowMs: 15 * 60_000 },
  verifyPerAddress: { max: 20, windowMs: 60 * 60_000 },
  verifyPerIp: { max: 30, windowMs: 15 * 60_000 },
  smsResend: { max: 1, windowMs: VerificationLimits.smsResendSeconds * 1000 },
  smsPerHour: { max: VerificationLimits.maxSmsPerHour, windowMs: 60 * 60_000 },
  noCode: { max: 3, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;
