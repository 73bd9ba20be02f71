import { concatBytes, copyBytes, encodeLabelled, importAesGcmKey, randomBytes } from './bytes.ts';
import { KeyUnwrapError, MalformedInputError, UnsupportedVersionError } from './errors.ts';

/**
 * A user's X25519 private key, wrapped with the key-wrapping key from `deriveAccountSecrets` so
 * the server can store it without being able to use it:
 *
 *   wrapped = version (0x01) ‖ nonce (12) ‖ AES-256-GCM(kwk, nonce, privateKey, aad) (32 + 16)
 *   aad     = "zegel/private-key/v1" ‖ 0x00 ‖ len ‖ version ‖ len ‖ userId
 *
 * The associated data names the user, so one account's wrapped key cannot be swapped into another
 * account's record and opened there with that account's password. A random nonce is safe: a
 * key-wrapping key wraps a handful of keys in its life, far below the 2^32 random-nonce limit.
 */
export const PrivateKeyWrapVersion = { v1: 1 } as const;
const NONCE_SIZE = 12;
const WRAPPED_SIZE = 1 + NONCE_SIZE + 32 + 16;

function encodeAad(version: number, userId: string): Uint8Array<ArrayBuffer> {
  if (userId.length === 0) throw new RangeError('a user id is required');
  return encodeLabelled('zegel/private-key/v1', new Uint8Array([version]), userId);
}

/** The deterministic half of `wrapPrivateKey`, for the known-answer vectors. */
export async function wrapPrivateKeyWithNonce(
  privateKey: Uint8Array,
  keyWrappingKey: Uint8Array,
  userId: string,
  nonce: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  if (privateKey.length !== 32) throw new RangeError('an X25519 private key is 32 bytes');
  if (nonce.length !== NONCE_SIZE) throw new RangeError('nonce must be 12 bytes');
  const key = await importAesGcmKey(keyWrappingKey);
  const version = PrivateKeyWrapVersion.v1;
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: copyBytes(nonce), additionalData: encodeAad(version, userId) },
    key,
    copyBytes(privateKey),
  );
  return concatBytes(new Uint8Array([version]), nonce, new Uint8Array(sealed));
}

/** Wraps a user's private key for storage on the server (and on other devices of the same user). */
export async function wrapPrivateKey(
  privateKey: Uint8Array,
  keyWrappingKey: Uint8Array,
  userId: string,
): Promise<Uint8Array<ArrayBuffer>> {
  return wrapPrivateKeyWithNonce(privateKey, keyWrappingKey, userId, randomBytes(NONCE_SIZE));
}

/** Unwraps at sign-in; a wrong password (hence wrong key), another user id, or altered bytes give `KeyUnwrapError`. */
export async function unwrapPrivateKey(
  wrapped: Uint8Array,
  keyWrappingKey: Uint8Array,
  userId: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (wrapped[0] !== PrivateKeyWrapVersion.v1)
    throw new UnsupportedVersionError('wrapped private key', wrapped[0]);
  if (wrapped.length !== WRAPPED_SIZE)
    throw new MalformedInputError('wrapped private key has the wrong length');
  const key = await importAesGcmKey(keyWrappingKey);
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: copyBytes(wrapped.subarray(1, 1 + NONCE_SIZE)),
        additionalData: encodeAad(PrivateKeyWrapVersion.v1, userId),
      },
      key,
      copyBytes(wrapped.subarray(1 + NONCE_SIZE)),
    );
    return new Uint8Array(plain);
  } catch {
    throw new KeyUnwrapError();
  }
}
