/**
 * Every failure the crypto door reports has its own class, so callers can tell a cut-off download
 * (retry it) from a forged one (alert) from a wrong key (wrong recipient, wrong link) without
 * parsing messages. All extend `CryptoError`, which carries a stable `code` for logs and the wire.
 * Messages never include key material or plaintext.
 */
export const CryptoErrorCode = {
  contentTampered: 'content-tampered',
  contentTruncated: 'content-truncated',
  contentReordered: 'content-reordered',
  contentDuplicated: 'content-duplicated',
  contentKeyMismatch: 'content-key-mismatch',
  unsupportedVersion: 'unsupported-version',
  malformedInput: 'malformed-input',
  keyUnwrapFailed: 'key-unwrap-failed',
} as const;
export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A record or the header failed authentication: bits were changed, or the associated data differs. */
export class ContentTamperedError extends CryptoError {
  constructor(message = 'content failed authentication: it was altered or the associated data differs') {
    super(CryptoErrorCode.contentTampered, message);
  }
}

/** The ciphertext ends before its final record: a cut-off upload or download, or a deliberate truncation. */
export class ContentTruncatedError extends CryptoError {
  constructor(message = 'content is truncated: the final record is missing') {
    super(CryptoErrorCode.contentTruncated, message);
  }
}

/** A record authenticates, but under another position: records were swapped or moved. */
export class ContentReorderedError extends CryptoError {
  constructor(message = 'content records are out of order') {
    super(CryptoErrorCode.contentReordered, message);
  }
}

/** A record appears a second time. */
export class ContentDuplicatedError extends CryptoError {
  constructor(message = 'a content record appears twice') {
    super(CryptoErrorCode.contentDuplicated, message);
  }
}

/**
 * The key does not match the header's key commitment: the wrong content key was used (for example
 * a key unwrapped for another item), or the commitment bytes themselves were altered.
 */
export class ContentKeyMismatchError extends CryptoError {
  constructor(message = 'the content key does not match this content') {
    super(CryptoErrorCode.contentKeyMismatch, message);
  }
}

/** The version byte names a format this code does not know (newer client, or garbage). */
export class UnsupportedVersionError extends CryptoError {
  constructor(what: string, version: number | undefined) {
    super(CryptoErrorCode.unsupportedVersion, `unsupported ${what} version ${version ?? '(missing)'}`);
  }
}

/** The input has the wrong shape or length before any cryptography was tried. */
export class MalformedInputError extends CryptoError {
  constructor(message: string) {
    super(CryptoErrorCode.malformedInput, message);
  }
}

/**
 * A wrapped key could not be opened: wrong private or wrapping key, a different context (item id,
 * purpose, user id), or altered bytes. These cases are indistinguishable by design.
 */
export class KeyUnwrapError extends CryptoError {
  constructor(message = 'the key could not be unwrapped: wrong key, wrong context, or altered bytes') {
    super(CryptoErrorCode.keyUnwrapFailed, message);
  }
}
