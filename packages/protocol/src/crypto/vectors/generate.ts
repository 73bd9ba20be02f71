import { deriveAccountSecrets, type KdfParams } from '../account-keys.ts';
import { sha256, toHex } from '../bytes.ts';
import { CONTENT_RECORD_SIZE, createPayloadKeysWithSalt, encryptContentWithKeys } from '../content-format.ts';
import {
  deriveAccessCodeSecrets,
  deriveGuestKeyPair,
  deriveLinkProof,
  hashAccessCodeProof,
  hashLinkProof,
} from '../guest-keys.ts';
import { deriveKeyPair, sealToPublicKeyWithSeed, WrapPurpose } from '../hpke.ts';
import { wrapPrivateKeyWithNonce } from '../private-key-wrap.ts';
import { solveProofOfWork } from '../proof-of-work.ts';
import { createPatternedBytes } from './run.ts';
import type {
  AccountVector,
  ContentVector,
  GuestVector,
  HpkeVector,
  KnownAnswerVectors,
  PatternedBytes,
  PrivateKeyWrapVector,
  ProofOfWorkVector,
} from './types.ts';

/** Argon2id cheap enough for a test run; the vectors pin the construction, not the cost. */
const smallKdf: KdfParams = { algorithm: 'argon2id', memoryKiB: 256, iterations: 2, parallelism: 1 };
const FULL_CIPHERTEXT_LIMIT = 4096;

/** Fixed "random" inputs: SHA-256 of a label, so anyone can recompute them. */
async function fixed(label: string, length = 32): Promise<Uint8Array<ArrayBuffer>> {
  const digest = await sha256(new TextEncoder().encode(`zegel-vector/${label}`));
  return digest.slice(0, length);
}

/**
 * Produces the known-answer vectors from the current implementation. Run only on purpose, after a
 * deliberate format change that also bumps a version byte (see regenerate.ts); the committed JSON
 * is what pins the formats.
 */
export async function generateKnownAnswerVectors(): Promise<KnownAnswerVectors> {
  const R = CONTENT_RECORD_SIZE;
  const contentCases: [string, number, string][] = [
    ['empty plaintext', 0, 'item-empty'],
    ['one byte', 1, 'item-one'],
    ['record size - 1', R - 1, 'item-r-1'],
    ['exactly one record', R, 'item-r'],
    ['record size + 1', R + 1, 'item-r+1'],
    ['multi-record (3 full records + 5 bytes)', 3 * R + 5, 'item-multi'],
    ['short body, no associated data', 37, ''],
  ];
  const content: ContentVector[] = [];
  for (const [index, [name, length, associatedData]] of contentCases.entries()) {
    const contentKey = await fixed(`content/${index}/key`);
    const salt = await fixed(`content/${index}/salt`, 16);
    const pattern: PatternedBytes = { pattern: 'mul31-mod251', seed: index, length };
    const bytes = createPatternedBytes(pattern);
    const keys = await createPayloadKeysWithSalt(contentKey, salt, { associatedData });
    const ciphertext = await encryptContentWithKeys(keys, bytes);
    content.push({
      name,
      contentKey: toHex(contentKey),
      salt: toHex(salt),
      associatedData,
      plaintext: length <= 64 ? { hex: toHex(bytes) } : pattern,
      ciphertextLength: ciphertext.length,
      ciphertextSha256: toHex(await sha256(ciphertext)),
      ...(ciphertext.length <= FULL_CIPHERTEXT_LIMIT ? { ciphertext: toHex(ciphertext) } : {}),
      header: toHex(keys.header),
    });
  }

  const hpkeCases: [string, WrapPurpose, string, number][] = [
    ['content key for an item', WrapPurpose.contentKey, 'msg-0001', 32],
    ['team private key for a member', WrapPurpose.teamPrivateKey, 'team-0001', 32],
    ['user private key for organisation recovery', WrapPurpose.recoveryPrivateKey, 'user-0001', 32],
  ];
  const hpke: HpkeVector[] = [];
  for (const [index, [name, purpose, id, size]] of hpkeCases.entries()) {
    const recipientIkm = await fixed(`hpke/${index}/ikmR`);
    const ikmE = await fixed(`hpke/${index}/ikmE`);
    const secret = await fixed(`hpke/${index}/secret`, size);
    const recipient = await deriveKeyPair(recipientIkm);
    const ephemeral = await deriveKeyPair(ikmE);
    const wrapped = await sealToPublicKeyWithSeed(secret, recipient.publicKey, { purpose, id }, ikmE);
    hpke.push({
      name,
      recipientIkm: toHex(recipientIkm),
      recipientPublicKey: toHex(recipient.publicKey),
      recipientPrivateKey: toHex(recipient.privateKey),
      ikmE: toHex(ikmE),
      ephemeralPublicKey: toHex(ephemeral.publicKey),
      purpose,
      id,
      secret: toHex(secret),
      wrapped: toHex(wrapped),
    });
  }

  const privateKeyWrap: PrivateKeyWrapVector[] = [];
  for (const [index, userId] of ['user-0001', 'user-0002'].entries()) {
    const keyWrappingKey = await fixed(`private-key/${index}/kwk`);
    const nonce = await fixed(`private-key/${index}/nonce`, 12);
    const privateKey = (await deriveKeyPair(await fixed(`private-key/${index}/ikm`))).privateKey;
    const wrapped = await wrapPrivateKeyWithNonce(privateKey, keyWrappingKey, userId, nonce);
    privateKeyWrap.push({
      name: `private key of ${userId}`,
      keyWrappingKey: toHex(keyWrappingKey),
      userId,
      nonce: toHex(nonce),
      privateKey: toHex(privateKey),
      wrapped: toHex(wrapped),
    });
  }

  const guest: GuestVector[] = [];
  for (const [index, code] of [undefined, 'Tulp-2026'].entries()) {
    const guestId = `guest-000${index + 1}`;
    const linkSecret = await fixed(`guest/${index}/link-secret`);
    const serverShare = await fixed(`guest/${index}/server-share`);
    let accessCode: GuestVector['accessCode'];
    let codeKey: Uint8Array | undefined;
    if (code !== undefined) {
      const salt = await fixed(`guest/${index}/code-salt`, 16);
      const secrets = await deriveAccessCodeSecrets(code, salt, smallKdf);
      codeKey = secrets.codeKey;
      accessCode = {
        code,
        salt: toHex(salt),
        params: smallKdf,
        codeKey: toHex(secrets.codeKey),
        proof: toHex(secrets.proof),
        verifierHash: toHex(await hashAccessCodeProof(secrets.proof)),
      };
    }
    const pair = await deriveGuestKeyPair({
      guestId,
      linkSecret,
      serverShare,
      ...(codeKey ? { codeKey } : {}),
    });
    const linkProof = await deriveLinkProof(linkSecret, guestId);
    guest.push({
      name: code === undefined ? 'link secret and server share' : 'link secret, server share and access code',
      guestId,
      linkSecret: toHex(linkSecret),
      serverShare: toHex(serverShare),
      ...(accessCode ? { accessCode } : {}),
      publicKey: toHex(pair.publicKey),
      privateKey: toHex(pair.privateKey),
      linkProof: toHex(linkProof),
      linkProofHash: toHex(await hashLinkProof(linkProof)),
    });
  }

  const account: AccountVector[] = [];
  for (const [index, password] of ['correct horse battery staple', 'wachtwoord met ë en ß'].entries()) {
    const salt = await fixed(`account/${index}/salt`, 16);
    const secrets = await deriveAccountSecrets(password, salt, smallKdf);
    account.push({
      name: `password ${index + 1}`,
      password,
      salt: toHex(salt),
      params: smallKdf,
      loginSecret: secrets.loginSecret,
      keyWrappingKey: toHex(secrets.keyWrappingKey),
    });
  }

  const proofOfWork: ProofOfWorkVector[] = [];
  for (const [index, difficulty] of [12, 14].entries()) {
    const challenge = `zegel/sign-in/kat-${index + 1}`;
    const nonce = await solveProofOfWork(challenge, difficulty);
    const digest = toHex(await sha256(new TextEncoder().encode(`${challenge}${nonce}`)));
    proofOfWork.push({ name: `${difficulty} bits`, challenge, difficulty, nonce, digest });
  }

  return {
    description:
      'Zegel crypto known-answer vectors, format version 1. Hex unless noted; loginSecret is base64url. ' +
      'Fixed inputs are SHA-256("zegel-vector/<label>") truncated. See docs/security.md.',
    recordSize: R,
    content,
    hpke,
    privateKeyWrap,
    guest,
    account,
    proofOfWork,
  };
}
