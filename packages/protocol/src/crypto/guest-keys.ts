import { argon2id } from 'hash-wasm';
import { defaultKdfParams, type KdfParams } from './account-keys.ts';
import { concatBytes, encodeLabelled, equalBytes, hkdf, randomBytes, sha256 } from './bytes.ts';
import { fromBase64Url, toBase64Url } from './encoding.ts';
import { MalformedInputError } from './errors.ts';
import { deriveKeyPair, type KeyPair } from './hpke.ts';

/**
 * Guest keys by split knowledge (docs/security.md, "Guests"). A guest has no account; their key
 * pair is derived, every time, from
 *
 *   link secret   32 random bytes in the link's #fragment: in the mail, never sent to the server
 *   server share  32 random bytes the server releases only after the guest passed verification
 *   code key      (optional) from the access code through Argon2id with a per-recipient salt
 *
 *   seed     = HKDF-SHA-256(ikm = linkSecret ‖ serverShare [‖ codeKey], salt = "",
 *                           info = label ‖ guestId)          label names with/without access code
 *   key pair = RFC 9180 DeriveKeyPair(seed)                  X25519
 *
 * We derive a key pair rather than a symmetric key so that anyone holding only the guest's public
 * key (stored on the server) can encrypt to the guest later (a follow-up from another staff
 * member, a shared team reply) without ever learning the guest's secrets; the sender does not
 * have to keep the link secret.
 */
const SECRET_SIZE = 32;
const ACCESS_CODE_SALT_SIZE = 16;
const LABEL_GUEST_SEED = 'zegel/guest/v1/seed';
const LABEL_GUEST_SEED_WITH_CODE = 'zegel/guest/v1/seed-with-access-code';
const LABEL_CODE_KEY = 'zegel/guest/v1/access-code-key';
const LABEL_CODE_PROOF = 'zegel/guest/v1/access-code-proof';
const LABEL_CODE_VERIFIER = 'zegel/guest/v1/access-code-verifier';
const LABEL_LINK_PROOF = 'zegel/guest/v1/link-proof';
const LABEL_LINK_PROOF_HASH = 'zegel/guest/v1/link-proof-hash';

export interface GuestSecrets {
  /** Goes into the link's #fragment (base64url); the server never sees it. */
  linkSecret: Uint8Array<ArrayBuffer>;
  /** Stored by the server, handed to the guest only after verification. */
  serverShare: Uint8Array<ArrayBuffer>;
}

/** What the server keeps to check an access code: enough to check it, not to derive the code key. */
export interface AccessCodeVerifier {
  salt: Uint8Array<ArrayBuffer>;
  params: KdfParams;
  /** SHA-256 over the guest's proof; a stolen copy does not even let one pass the online check. */
  verifierHash: Uint8Array<ArrayBuffer>;
}

/** What the access code yields in the guest's (or sender's) browser: one Argon2id run, two one-way branches. */
export interface AccessCodeSecrets {
  /** Enters the guest key; never sent anywhere. */
  codeKey: Uint8Array<ArrayBuffer>;
  /** Sent to the server to pass the access-code check. */
  proof: Uint8Array<ArrayBuffer>;
}

export function createGuestSecrets(): GuestSecrets {
  return { linkSecret: randomBytes(SECRET_SIZE), serverShare: randomBytes(SECRET_SIZE) };
}

/** The link secret as it appears after `#` in the guest link. */
export function encodeLinkSecret(linkSecret: Uint8Array): string {
  if (linkSecret.length !== SECRET_SIZE) throw new RangeError('a link secret is 32 bytes');
  return toBase64Url(linkSecret);
}

/** Reads the link secret from a location hash (with or without `#`); a missing or damaged one is a `MalformedInputError`. */
export function parseLinkSecret(fragment: string): Uint8Array<ArrayBuffer> {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch {
    throw new MalformedInputError('the link is incomplete or damaged');
  }
  if (bytes.length !== SECRET_SIZE) throw new MalformedInputError('the link is incomplete or damaged');
  return concatBytes(bytes);
}

/** NFKC and trimmed, so a code typed on another keyboard or pasted with a trailing space still matches. */
export function normalizeAccessCode(code: string): string {
  const normalized = code.normalize('NFKC').trim();
  if (normalized.length === 0) throw new RangeError('an access code cannot be empty');
  return normalized;
}

/** Argon2id over the access code, then two HKDF branches: the code key (for the guest key) and the proof (for the server). */
export async function deriveAccessCodeSecrets(
  accessCode: string,
  salt: Uint8Array,
  params: KdfParams,
): Promise<AccessCodeSecrets> {
  if (salt.length !== ACCESS_CODE_SALT_SIZE) throw new RangeError('an access-code salt is 16 bytes');
  const stretched = await argon2id({
    password: normalizeAccessCode(accessCode),
    salt,
    iterations: params.iterations,
    memorySize: params.memoryKiB,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
  const empty = new Uint8Array(0);
  return {
    codeKey: await hkdf(stretched, empty, encodeLabelled(LABEL_CODE_KEY), 32),
    proof: await hkdf(stretched, empty, encodeLabelled(LABEL_CODE_PROOF), 32),
  };
}

/** The value the server stores from a proof. */
export async function hashAccessCodeProof(proof: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (proof.length !== 32) throw new MalformedInputError('an access-code proof is 32 bytes');
  return sha256(encodeLabelled(LABEL_CODE_VERIFIER, proof));
}

/** Server side: does the proof a guest sent match the stored verifier? Constant-time comparison. */
export async function verifyAccessCodeProof(
  proof: Uint8Array,
  verifier: AccessCodeVerifier,
): Promise<boolean> {
  if (proof.length !== 32) return false;
  return equalBytes(await hashAccessCodeProof(proof), verifier.verifierHash);
}

/**
 * Proof that a caller holds the link secret, without revealing it: the guest page sends it with
 * every request before verification, so someone who knows only the link's path cannot count
 * wrong codes against the guest, trigger SMS messages or see who wrote.
 *
 *   proof = HKDF-SHA-256(ikm = linkSecret, salt = "", info = "zegel/guest/v1/link-proof" ‖ guestId)
 *   hash  = SHA-256("zegel/guest/v1/link-proof-hash" ‖ proof)     what the server stores
 *
 * One-way both times: the proof does not give the link secret, the stored hash not the proof.
 */
export async function deriveLinkProof(
  linkSecret: Uint8Array,
  guestId: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (guestId.length === 0) throw new RangeError('a guest id is required');
  if (linkSecret.length !== SECRET_SIZE) throw new MalformedInputError('a link secret is 32 bytes');
  return hkdf(linkSecret, new Uint8Array(0), encodeLabelled(LABEL_LINK_PROOF, guestId), 32);
}

/** The value the server stores from a link proof. */
export async function hashLinkProof(proof: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (proof.length !== 32) throw new MalformedInputError('a link proof is 32 bytes');
  return sha256(encodeLabelled(LABEL_LINK_PROOF_HASH, proof));
}

/** Server side: does a link proof match the stored hash? Constant-time comparison; a wrong size is false. */
export async function verifyLinkProof(proof: Uint8Array, storedHash: Uint8Array): Promise<boolean> {
  if (proof.length !== 32) return false;
  return equalBytes(await hashLinkProof(proof), storedHash);
}

/** The guest's X25519 key pair from both shares (and the code key, when the sender set an access code). */
export async function deriveGuestKeyPair(input: {
  guestId: string;
  linkSecret: Uint8Array;
  serverShare: Uint8Array;
  codeKey?: Uint8Array;
}): Promise<KeyPair> {
  if (input.guestId.length === 0) throw new RangeError('a guest id is required');
  if (input.linkSecret.length !== SECRET_SIZE) throw new MalformedInputError('a link secret is 32 bytes');
  if (input.serverShare.length !== SECRET_SIZE) throw new MalformedInputError('a server share is 32 bytes');
  if (input.codeKey !== undefined && input.codeKey.length !== 32)
    throw new MalformedInputError('a code key is 32 bytes');
  const hasCode = input.codeKey !== undefined;
  const ikm = concatBytes(input.linkSecret, input.serverShare, input.codeKey ?? new Uint8Array(0));
  const info = encodeLabelled(hasCode ? LABEL_GUEST_SEED_WITH_CODE : LABEL_GUEST_SEED, input.guestId);
  return deriveKeyPair(await hkdf(ikm, new Uint8Array(0), info, 32));
}

/**
 * Everything a sender's browser makes for a new guest recipient. The link secret goes into the
 * mail link only; the server receives `serverShare`, `publicKey` and `accessCode` (the verifier),
 * and the content keys wrapped to `publicKey`.
 */
export async function createGuestInvitation(input: {
  guestId: string;
  accessCode?: string;
  kdfParams?: KdfParams;
}): Promise<GuestSecrets & { publicKey: Uint8Array<ArrayBuffer>; accessCode?: AccessCodeVerifier }> {
  const secrets = createGuestSecrets();
  if (input.accessCode === undefined) {
    const { publicKey } = await deriveGuestKeyPair({ guestId: input.guestId, ...secrets });
    return { ...secrets, publicKey };
  }
  const params = input.kdfParams ?? defaultKdfParams;
  const salt = randomBytes(ACCESS_CODE_SALT_SIZE);
  const { codeKey, proof } = await deriveAccessCodeSecrets(input.accessCode, salt, params);
  const { publicKey } = await deriveGuestKeyPair({ guestId: input.guestId, ...secrets, codeKey });
  return {
    ...secrets,
    publicKey,
    accessCode: { salt, params, verifierHash: await hashAccessCodeProof(proof) },
  };
}
