import type { Backoff, Limit } from '../../platform/throttle/index.ts';

/** Brute-force limits of sign-in; counters are shared by all server processes. */
export const signInLimits = {
  /**
   * Wrong passwords from one browser that holds the account's device cookie; after that the
   * browser counts as unknown. Nobody else's failures count here.
   */
  perDevice: { max: 10, windowMs: 15 * 60_000 } satisfies Limit,
  /**
   * Wrong passwords for one account from browsers without its device cookie: five at once, then
   * delays of 1, 2, 4 and 8 seconds, then (from the tenth) a proof of work per attempt. Never a lock.
   */
  unknownDevices: {
    windowMs: 60 * 60_000,
    freeAttempts: 5,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    delaysUntil: 10,
  } satisfies Backoff,
  /** Wrong passwords from one network address, across accounts (password spraying). */
  perAddress: { max: 50, windowMs: 15 * 60_000 } satisfies Limit,
  /** Wrong second-factor codes for one account; 6 digits must not be guessable. */
  secondFactor: { max: 5, windowMs: 15 * 60_000 } satisfies Limit,
  /** Look-ups of invitation and reset links from one address. */
  linkLookups: { max: 30, windowMs: 15 * 60_000 } satisfies Limit,
  /** Reset mails per account, so nobody can flood a mailbox. */
  resetMails: { max: 3, windowMs: 60 * 60_000 } satisfies Limit,
} as const;

/** The proof of work asked of unknown browsers after many failures (see sign-in-challenge.ts). */
export const signInProofOfWork = {
  fromFailures: signInLimits.unknownDevices.delaysUntil,
  minBits: 14,
  maxBits: 20,
  failuresPerBit: 4,
  lifetimeMs: 10 * 60_000,
} as const;

/** How long a browser stays known to an account after its last right password. */
export const signInDeviceLifetimeDays = 180;

/** Keys hold no personal data: addresses arrive hashed. */
export const throttleKey = {
  unknownDevices: (emailHash: string) => `sign-in:unknown-devices:${emailHash}`,
  device: (nonce: string) => `sign-in:device:${nonce}`,
  address: (ip: string) => `sign-in:address:${ip}`,
  secondFactor: (userId: string) => `second-factor:${userId}`,
  linkLookup: (ip: string) => `link-lookup:${ip}`,
  resetMail: (email: string) => `reset-mail:${email}`,
} as const;
