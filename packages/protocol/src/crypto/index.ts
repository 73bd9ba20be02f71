/**
 * The only door to Zegel's cryptography. Browser and server import from here
 * (`@zegel/protocol/crypto`); nothing else in the project touches WebCrypto or HPKE directly.
 * The design, step by step, is in docs/security.md ("Cryptography").
 */
export {
  type AccountSecrets,
  defaultKdfParams,
  deriveAccountSecrets,
  type KdfParams,
} from './account-keys.ts';
export { type AuditChainKeys, deriveAuditChainKeys, verifyAuditSignature } from './audit-chain.ts';
export {
  CONTENT_HEADER_SIZE,
  CONTENT_RECORD_SIZE,
  CONTENT_TAG_SIZE,
  type ContentOptions,
  ContentVersion,
  decryptContent,
  encryptContent,
  generateContentKey,
  getDecryptedContentSize,
  getEncryptedContentSize,
  looksLikeContentV1,
} from './content-format.ts';
export {
  createContentDecryptionStream,
  createContentEncryptionStream,
  createContentEncryptionStreamFromHeader,
} from './content-stream.ts';
export { fromBase64Url, toBase64Url, utf8 } from './encoding.ts';
export {
  ContentDuplicatedError,
  ContentKeyMismatchError,
  ContentReorderedError,
  ContentTamperedError,
  ContentTruncatedError,
  CryptoError,
  CryptoErrorCode,
  KeyUnwrapError,
  MalformedInputError,
  UnsupportedVersionError,
} from './errors.ts';
export {
  type AccessCodeSecrets,
  type AccessCodeVerifier,
  createGuestInvitation,
  createGuestSecrets,
  deriveAccessCodeSecrets,
  deriveGuestKeyPair,
  deriveLinkProof,
  encodeLinkSecret,
  type GuestSecrets,
  hashAccessCodeProof,
  hashLinkProof,
  normalizeAccessCode,
  parseLinkSecret,
  verifyAccessCodeProof,
  verifyLinkProof,
} from './guest-keys.ts';
export {
  generateKeyPair,
  getPublicKey,
  type KeyPair,
  unwrapContentKey,
  WrapPurpose,
  wrapContentKey,
} from './hpke.ts';
export {
  decryptItem,
  type EncryptedItem,
  encryptGuestReply,
  encryptItem,
  type ItemRecipient,
} from './items.ts';
export {
  createTeamKeys,
  type MemberPublicKey,
  recoverPrivateKey,
  rewrapTeamPrivateKey,
  unwrapTeamPrivateKey,
  type WrappedTeamKey,
  wrapPrivateKeyForRecovery,
  wrapTeamPrivateKey,
} from './key-hierarchy.ts';
export { unwrapPrivateKey, wrapPrivateKey } from './private-key-wrap.ts';
export { checkProofOfWork, solveProofOfWork } from './proof-of-work.ts';
