import type { Limit } from '../../platform/throttle/index.ts';

/** Brute-force limits of sign-in; counters are shared by all server processes. */
export const signInLimits = {
  /** Wrong passwords for one account before it is locked for the rest of the window. */
  perAccount: { max: 10, windowMs: 15 * 60_000 } satisfies Limit,
  /** Wrong passwords from one network address, across accounts (password spraying). */
  perAddress: { max: 50, windowMs: 15 * 60_000 } satisfies Limit,
  /** Wrong second-factor codes for one account; 6 digits must not be guessable. */
  secondFactor: { max: 5, windowMs: 15 * 60_000 } satisfies Limit,
  /** Look-ups of invitation and reset links from one address. */
  linkLookups: { max: 30, windowMs: 15 * 60_000 } satisfies Limit,
  /** Reset mails per account, so nobody can flood a mailbox. */
  resetMails: { max: 3, windowMs: 60 * 60_000 } satisfies Limit,
} as const;

export const throttleKey = {
  account: (email: string) => `sign-in:account:${email}`,
  address: (ip: string) => `sign-in:address:${ip}`,
  secondFactor: (userId: string) => `second-factor:${userId}`,
  linkLookup: (ip: string) => `link-lookup:${ip}`,
  resetMail: (email: string) => `reset-mail:${email}`,
} as const;
