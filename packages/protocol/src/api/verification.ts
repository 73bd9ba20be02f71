import { type Static, Type } from 'typebox';
import { MessageLimits, VerificationLimits } from '../limits.ts';
import { KdfParams } from './accounts.ts';
import { strict, Timestamp, Uuid } from './common.ts';
import {
  AttachmentRef,
  Bytes,
  Item,
  KeyHolder,
  PublicKey,
  Secret32,
  VerificationMethod,
  WrappedKeyInput,
} from './messages.ts';

/**
 * The guest page's API (public routes under `/api/guest/:recipientId`, no staff session).
 * Before verification (landing, `sms`, `verify`, `no-code`) each request carries the link proof
 * in the `x-zegel-link-proof` header: `deriveLinkProof(linkSecret, recipientId)`, base64url.
 * Without a valid one the answer is `403 link_proof_invalid` and nothing is counted or sent.
 * After verification the guest has a short session cookie scoped to that path; "remember this
 * browser" adds a device cookie there. See docs/messages.md for the flow.
 */

export const GuestParams = Type.Object({ recipientId: Uuid }, strict);
export const GuestAttachmentParams = Type.Object({ recipientId: Uuid, attachmentId: Uuid }, strict);
/** `GET /api/guest/:recipientId/files/:fileId` (verified session): a large file's ciphertext, `Range` allowed. */
export const GuestFileParams = Type.Object({ recipientId: Uuid, fileId: Uuid }, strict);
export const GuestUploadParams = Type.Object({ recipientId: Uuid, id: Uuid }, strict);

export const GuestState = Type.Union([
  Type.Literal('active'),
  Type.Literal('expired'),
  Type.Literal('revoked'),
  Type.Literal('locked'),
]);
export type GuestState = Static<typeof GuestState>;

/** `GET /api/guest/:recipientId`: what the landing page shows. No content, no key material. */
export const GuestLanding = Type.Object({
  recipientId: Uuid,
  organisation: Type.Object({
    name: Type.String(),
    slug: Type.String(),
    branding: Type.Record(Type.String(), Type.String()),
    hasLogo: Type.Boolean(),
  }),
  senderName: Type.String(),
  method: VerificationMethod,
  /** For `access_code`: the sender's hint (may be null) and what the browser needs to compute the proof. */
  accessCodeHint: Type.Union([Type.String(), Type.Null()]),
  accessCode: Type.Union([Type.Object({ salt: Type.String(), params: KdfParams }), Type.Null()]),
  /** For `sms`: the masked number the code goes to. */
  phoneHint: Type.Union([Type.String(), Type.Null()]),
  state: GuestState,
  /** For `locked`: when the wait ends and the guest may try again. */
  lockedUntil: Type.Union([Timestamp, Type.Null()]),
  expiresAt: Timestamp,
  /** A valid guest session cookie is present: skip verification. */
  hasSession: Type.Boolean(),
  /** A remembered-browser cookie is present: `verify` with no code will do. */
  isRememberedBrowser: Type.Boolean(),
  /** Days "remember this browser" lasts; 0 means the organisation does not allow it. */
  rememberDays: Type.Integer(),
});
export type GuestLanding = Static<typeof GuestLanding>;

/** `POST /api/guest/:recipientId/sms`: sends a fresh 6-digit code (valid 10 minutes, single use). */
export const GuestSmsResponse = Type.Object({
  phoneHint: Type.String(),
  expiresAt: Timestamp,
  /** Seconds before another code may be requested. */
  resendAfterSeconds: Type.Integer(),
});
export type GuestSmsResponse = Static<typeof GuestSmsResponse>;

/**
 * `POST /api/guest/:recipientId/verify`. Give `code` (SMS) or `proof` (access code:
 * `deriveAccessCodeSecrets(code, salt, params).proof`); neither for `email_only` or a remembered
 * browser. Wrong codes answer `verification_failed` with `details.attemptsLeft`; the fifth starts
 * a lock (`423 message_locked` with `details.lockedUntil` and `retryAfterSeconds`): a minute, then
 * doubling with each lock in a row, at most an hour; a success or the sender's unlock ends it.
 */
export const GuestVerifyRequest = Type.Object(
  {
    code: Type.Optional(Type.String({ pattern: `^[0-9]{${VerificationLimits.smsCodeLength}}$` })),
    proof: Type.Optional(Secret32),
    rememberBrowser: Type.Optional(Type.Boolean()),
  },
  strict,
);
/** The server share, released only here and to a verified session (`conversation`). */
export const GuestVerifyResponse = Type.Object({
  serverShare: Secret32,
  sessionExpiresAt: Timestamp,
});
export type GuestVerifyResponse = Static<typeof GuestVerifyResponse>;

/** `GET /api/guest/:recipientId/conversation` (verified session): items for this guest only. */
export const GuestConversation = Type.Object({
  conversationId: Uuid,
  recipientId: Uuid,
  serverShare: Secret32,
  /** The guest public key stored at send time: the derived key pair must match it. */
  guestPublicKey: PublicKey,
  senderName: Type.String(),
  organisationName: Type.String(),
  expiresAt: Timestamp,
  items: Type.Array(Item),
  /** Staff and team keys a reply is wrapped to, besides the guest's own key (holder = recipientId). */
  replyRecipients: Type.Array(KeyHolder),
});
export type GuestConversation = Static<typeof GuestConversation>;

/** `POST /api/guest/:recipientId/replies`: an item made with `encryptGuestReply`; attachments uploaded first. */
export const GuestReplyRequest = Type.Object(
  {
    itemId: Uuid,
    item: Bytes(MessageLimits.maxItemCiphertextBytes),
    attachments: Type.Array(AttachmentRef, { maxItems: MessageLimits.maxAttachments }),
    wrappedKeys: Type.Array(WrappedKeyInput, { minItems: 2, maxItems: MessageLimits.maxRecipients + 1 }),
  },
  strict,
);
export const GuestReplyResponse = Type.Object({ itemId: Uuid, createdAt: Timestamp });
export type GuestReplyResponse = Static<typeof GuestReplyResponse>;
