import type { Limit } from '../../platform/throttle/index.ts';

/** Lifetimes and limits of personal accounts (docs/care-networks.md). */
export const personalLimits = {
  invitationDays: 14,
  /** A browser that entered a device code is asked again after this many days (as OZO does). */
  trustedDeviceDays: 30,
  codeMinutes: 10,
  codeLength: 6,
  /** Wrong device codes before the half-signed-in session is thrown away. */
  maxWrongCodes: 5,
  sessionHours: 12,
  /** Wrong device codes for one account per window, over all its sessions and processes. */
  deviceCodes: { max: 10, windowMs: 15 * 60_000 } satisfies Limit,
  /** Wrong passwords for one address per window (shared by every process). */
  signIn: { max: 10, windowMs: 15 * 60_000 } satisfies Limit,
} as const;

export const CARE_SESSION_COOKIE = 'zegel_care_session';
export const CARE_DEVICE_COOKIE = 'zegel_care_device';
