import type { KdfParams } from '../account-keys.ts';

/**
 * Shape of known-answer-v1.json. Binary values are lowercase hex. Large plaintexts are given as a
 * pattern (byte i = (31·i + seed) mod 251) and large ciphertexts by length and SHA-256, which pins
 * every byte without a multi-megabyte file.
 */
export interface PatternedBytes {
  pattern: 'mul31-mod251';
  seed: number;
  length: number;
}

export interface ContentVector {
  name: string;
  contentKey: string;
  salt: string;
  associatedData: string;
  plaintext: { hex: string } | PatternedBytes;
  ciphertextLength: number;
  ciphertextSha256: string;
  /** The whole ciphertext, for vectors small enough to read. */
  ciphertext?: string;
  header: string;
}

export interface HpkeVector {
  name: string;
  recipientIkm: string;
  recipientPublicKey: string;
  recipientPrivateKey: string;
  ikmE: string;
  ephemeralPublicKey: string;
  purpose: string;
  id: string;
  secret: string;
  wrapped: string;
}

export interface PrivateKeyWrapVector {
  name: string;
  keyWrappingKey: string;
  userId: string;
  nonce: string;
  privateKey: string;
  wrapped: string;
}

export interface GuestVector {
  name: string;
  guestId: string;
  linkSecret: string;
  serverShare: string;
  accessCode?: {
    code: string;
    salt: string;
    params: KdfParams;
    codeKey: string;
    proof: string;
    verifierHash: string;
  };
  publicKey: string;
  privateKey: string;
  /** `deriveLinkProof(linkSecret, guestId)` and `hashLinkProof` of it (added in v1, optional for readers). */
  linkProof: string;
  linkProofHash: string;
}

export interface AccountVector {
  name: string;
  password: string;
  salt: string;
  params: KdfParams;
  loginSecret: string;
  keyWrappingKey: string;
}

/** A sign-in / contact puzzle: the smallest nonce whose SHA-256(challenge + nonce) has the zero bits. */
export interface ProofOfWorkVector {
  name: string;
  challenge: string;
  difficulty: number;
  nonce: string;
  digest: string;
}

export interface KnownAnswerVectors {
  description: string;
  recordSize: number;
  content: ContentVector[];
  hpke: HpkeVector[];
  privateKeyWrap: PrivateKeyWrapVector[];
  guest: GuestVector[];
  account: AccountVector[];
  proofOfWork: ProofOfWorkVector[];
}

export interface VectorResult {
  section: keyof Omit<KnownAnswerVectors, 'description' | 'recordSize'>;
  name: string;
  ok: boolean;
  /** What differed or what was thrown; never secret beyond the vector's own fixed values. */
  detail?: string;
}
