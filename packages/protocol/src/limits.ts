/**
 * Limits both sides enforce: the browser checks them before it encrypts or sends, the server
 * checks them again and refuses what exceeds them. Sizes of ciphertexts follow from the
 * content format: `81 + plaintext + 16 × records` (docs/security.md, "Content format").
 */
const MiB = 1024 * 1024;
const KiB = 1024;

/** Overhead of the content format for a plaintext of at most one record (1 MiB). */
const ONE_RECORD_OVERHEAD = 81 + 16;

export const MessageLimits = {
  /** To, Cc and Bcc together. */
  maxRecipients: 50,
  /** The message item (subject, HTML body, attachment manifest) as JSON before encryption. */
  maxItemPlaintextBytes: 384 * KiB,
  maxItemCiphertextBytes: 384 * KiB + ONE_RECORD_OVERHEAD,
  maxSubjectLength: 500,
  maxAttachments: 10,
  /** One attachment before encryption; large files are the `files` feature's job. */
  maxAttachmentPlaintextBytes: 10 * MiB,
  /** One attachment ciphertext: 10 MiB + header + one tag per started MiB. */
  maxAttachmentCiphertextBytes: 10 * MiB + 81 + 16 * 10,
  /** Large files (tus uploads, the `files` feature) linked to one message or reply. */
  maxFiles: 50,
  maxFileNameLength: 255,
  minExpiryDays: 1,
  maxExpiryDays: 365,
  defaultExpiryDays: 30,
  maxAccessCodeHintLength: 200,
  /** Uploads not used by a sent item within this time are deleted. */
  uploadLifetimeHours: 24,
} as const;

export const VerificationLimits = {
  smsCodeLength: 6,
  smsCodeLifetimeMinutes: 10,
  /** Wrong codes (SMS or access code) before the message is locked for that guest, for a while. */
  maxWrongCodes: 5,
  /** The first lock lasts this long; each further one (without a success between) twice as long. */
  firstLockSeconds: 60,
  /** No lock lasts longer than this. */
  maxLockSeconds: 60 * 60,
  /** Minimum time between two SMS codes for one guest. */
  smsResendSeconds: 60,
  /** At most this many SMS codes per guest per hour. */
  maxSmsPerHour: 5,
  /** A guest session (after verification) lasts this long. */
  guestSessionMinutes: 30,
  /** "Remember this browser" for at most this many days (the organisation may allow fewer). */
  maxRememberDays: 90,
} as const;

export const DirectoryLimits = {
  /** Lines in one CSV import (without the header). */
  maxImportLines: 5000,
  maxImportBytes: 900 * KiB,
} as const;
