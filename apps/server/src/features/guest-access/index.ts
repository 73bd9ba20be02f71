/**
 * Guest access: how a person without an account proves who they are before the server releases
 * its half of their key — SMS codes, access codes, e-mail-only — with the link proof, wrong-code
 * counting and growing lock delays, guest sessions and remembered browsers, and the recipient
 * directory that remembers how each external address is verified. It knows participants only by id: what a guest may
 * read is the conversation core's business.
 */
export { cleanHint, normaliseAddress } from './address.ts';
export {
  createGuestCredentials,
  type GuestStatus,
  guestStatuses,
  type NewGuestCredentials,
  recordNoCode,
  serverShareOf,
  shredGuestAccess,
  unlockGuest,
} from './credentials.ts';
export { GuestLimits } from './limits.ts';
export { LINK_PROOF_HEADER, linkProofHashFor, requireLinkProof, storeLinkProof } from './link-proof.ts';
export { maskPhone, normalisePhone } from './phone.ts';
export { lookupRecipient, type Method, rememberRecipients } from './recipient-directory.ts';
export { registerGuestAccessRoutes } from './routes.ts';
export {
  endGuestSession,
  type GuestCookies,
  hasGuestSession,
  type IssuedToken,
  isRememberedBrowser,
  openGuestSession,
} from './sessions.ts';
export { sendGuestSmsCode } from './sms.ts';
export type { DirectoryRow as RememberedRecipient } from './store.ts';
export { throttleGuest, type VerifyInput, type VerifyOutcome, verifyGuestCredentials } from './verify.ts';
