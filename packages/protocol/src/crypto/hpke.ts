import { Aes256Gcm, CipherSuite, HkdfSha256 } from '@hpke/core';
import { DhkemX25519HkdfSha256, HkdfSha256 as NobleHkdfSha256, X25519 } from '@hpke/dhkem-x25519';
import { concatBytes, copyBytes, encodeLabelled } from './bytes.ts';
import { KeyUnwrapError, MalformedInputError, UnsupportedVersionError } from './errors.ts';

/**
 * Public-key wrapping of small secrets (content keys, team and user private keys) with HPKE,
 * RFC 9180, base mode: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM.
 *
 *   wrapped = version (0x01) ‖ enc (32) ‖ HPKE ciphertext (secret ‖ 16-byte tag)
 *   info    = "zegel/hpke/v1" ‖ 0x00 ‖ len ‖ purpose ‖ len ‖ id      (see encodeLabelled)
 *   aad     = version byte
 *
 * `info` names what is wrapped and for which object, so a wrapped key copied to another item,
 * team or user, or offered as another kind of key, fails to open. X25519 is the pure-JS
 * implementation from @hpke/dhkem-x25519 (noble-curves), which runs in every browser and in Node
 * whether or not WebCrypto there supports X25519.
 */
export const WrappedKeyVersion = { v1: 1 } as const;
const ENC_SIZE = 32;
const X25519_KEY_SIZE = 32;

export const WrapPurpose = {
  contentKey: 'content-key',
  teamPrivateKey: 'team-private-key',
  recoveryPrivateKey: 'recovery-private-key',
} as const;
export type WrapPurpose = (typeof WrapPurpose)[keyof typeof WrapPurpose];

/** What a wrapped key is for: the purpose, and the id of the item, team or user it belongs to. */
export interface WrapContext {
  purpose: WrapPurpose;
  id: string;
}

/** An X25519 key pair as raw 32-byte strings, the form that is stored, wrapped and sent. */
export interface KeyPair {
  publicKey: Uint8Array<ArrayBuffer>;
  privateKey: Uint8Array<ArrayBuffer>;
}

const x25519 = new X25519(new NobleHkdfSha256());
const suite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
});

function toRawKey(serialized: ArrayBuffer): Uint8Array<ArrayBuffer> {
  if (serialized.byteLength !== X25519_KEY_SIZE) throw new MalformedInputError('unexpected X25519 key size');
  return new Uint8Array(serialized.slice(0));
}

async function exportKeyPair(pair: Awaited<ReturnType<typeof suite.kem.generateKeyPair>>): Promise<KeyPair> {
  return {
    publicKey: toRawKey(await suite.kem.serializePublicKey(pair.publicKey)),
    privateKey: toRawKey(await suite.kem.serializePrivateKey(pair.privateKey)),
  };
}

/** A fresh X25519 key pair (users, teams, the organisation recovery key); made where it is used, in the browser. */
export async function generateKeyPair(): Promise<KeyPair> {
  return exportKeyPair(await suite.kem.generateKeyPair());
}

/** RFC 9180 DeriveKeyPair: the same 32+ bytes of input key material always give the same key pair. */
export async function deriveKeyPair(ikm: Uint8Array): Promise<KeyPair> {
  if (ikm.length < 32) throw new RangeError('key pair derivation needs at least 32 bytes of input');
  return exportKeyPair(await suite.kem.deriveKeyPair(copyBytes(ikm)));
}

/** The public half of a raw X25519 private key; used to check that an unwrapped private key is the expected one. */
export async function getPublicKey(privateKey: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  checkKeySize(privateKey, 'private');
  const key = await x25519.importKey('raw', copyBytes(privateKey).buffer, false);
  return toRawKey(await x25519.serializePublicKey(await x25519.derivePublicKey(key)));
}

function checkKeySize(key: Uint8Array, kind: 'public' | 'private'): void {
  if (key.length !== X25519_KEY_SIZE) throw new MalformedInputError(`an X25519 ${kind} key is 32 bytes`);
}

function encodeInfo(context: WrapContext): Uint8Array<ArrayBuffer> {
  if (!Object.values(WrapPurpose).includes(context.purpose)) throw new RangeError('unknown wrap purpose');
  if (context.id.length === 0) throw new RangeError('a wrap context needs an id');
  return encodeLabelled('zegel/hpke/v1', context.purpose, context.id);
}

/**
 * Seals with a given ephemeral key seed (`ikmE`), which makes the output reproducible. Only the
 * known-answer vectors use this; real wrapping goes through `sealToPublicKey`.
 */
export async function sealToPublicKeyWithSeed(
  secret: Uint8Array,
  recipientPublicKey: Uint8Array,
  context: WrapContext,
  ikmE: Uint8Array | undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  checkKeySize(recipientPublicKey, 'public');
  const version = new Uint8Array([WrappedKeyVersion.v1]);
  const sender = await suite.createSenderContext({
    recipientPublicKey: await suite.kem.deserializePublicKey(copyBytes(recipientPublicKey)),
    info: encodeInfo(context),
    ...(ikmE === undefined ? {} : { ekm: copyBytes(ikmE) }),
  });
  const ciphertext = new Uint8Array(await sender.seal(copyBytes(secret), version));
  return concatBytes(version, new Uint8Array(sender.enc), ciphertext);
}

/** Wraps a small secret (a key) so only the holder of the matching private key can open it, in this context. */
export async function sealToPublicKey(
  secret: Uint8Array,
  recipientPublicKey: Uint8Array,
  context: WrapContext,
): Promise<Uint8Array<ArrayBuffer>> {
  return sealToPublicKeyWithSeed(secret, recipientPublicKey, context, undefined);
}

/** Opens what `sealToPublicKey` made; any failure (wrong key, other context, altered bytes) is a `KeyUnwrapError`. */
export async function openWithPrivateKey(
  wrapped: Uint8Array,
  privateKey: Uint8Array,
  context: WrapContext,
): Promise<Uint8Array<ArrayBuffer>> {
  checkKeySize(privateKey, 'private');
  if (wrapped[0] !== WrappedKeyVersion.v1) throw new UnsupportedVersionError('wrapped key', wrapped[0]);
  if (wrapped.length < 1 + ENC_SIZE + 16) throw new MalformedInputError('wrapped key is too short');
  const info = encodeInfo(context);
  try {
    const recipient = await suite.createRecipientContext({
      recipientKey: await suite.kem.deserializePrivateKey(copyBytes(privateKey)),
      enc: copyBytes(wrapped.subarray(1, 1 + ENC_SIZE)),
      info,
    });
    return new Uint8Array(
      await recipient.open(copyBytes(wrapped.subarray(1 + ENC_SIZE)), copyBytes(wrapped.subarray(0, 1))),
    );
  } catch {
    throw new KeyUnwrapError();
  }
}

/** Wraps an item's content key for one recipient (a user, a team, a guest), bound to the item id. */
export async function wrapContentKey(
  contentKey: Uint8Array,
  recipientPublicKey: Uint8Array,
  itemId: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (contentKey.length !== 32) throw new RangeError('a content key is 32 bytes');
  return sealToPublicKey(contentKey, recipientPublicKey, { purpose: WrapPurpose.contentKey, id: itemId });
}

export async function unwrapContentKey(
  wrapped: Uint8Array,
  privateKey: Uint8Array,
  itemId: string,
): Promise<Uint8Array<ArrayBuffer>> {
  return openWithPrivateKey(wrapped, privateKey, { purpose: WrapPurpose.contentKey, id: itemId });
}
