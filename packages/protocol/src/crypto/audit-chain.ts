import { copyBytes, fromHex, hkdf, toHex } from './bytes.ts';
import { fromBase64Url, toBase64Url, utf8 } from './encoding.ts';

/**
 * Keys for the server's audit trail (docs/security.md, "Audit trail").
 *
 * Both keys come from the server secret, which the database does not hold:
 * - the chain key: HMAC-SHA-256 over each row (`HKDF-SHA-256(secret, info "zegel/v1/audit-chain")`),
 *   so someone with database access alone cannot recompute the hashes after changing a row;
 * - the checkpoint key: an Ed25519 key pair whose 32-byte seed is
 *   `HKDF-SHA-256(secret, info "zegel/v1/audit-checkpoint")`; it signs the head of the chain at
 *   intervals, and the public key lets an auditor check an exported checkpoint without the secret.
 */
export interface AuditChainKeys {
  /** HMAC-SHA-256 of `message` under the chain key, lowercase hex. */
  macHex(message: string): Promise<string>;
  /** Ed25519 signature of `message` under the checkpoint key, base64url. */
  sign(message: string): Promise<string>;
  /** The checkpoint public key (32 bytes), base64url. */
  publicKey: string;
}

const CHAIN_INFO = 'zegel/v1/audit-chain';
const CHECKPOINT_INFO = 'zegel/v1/audit-checkpoint';
/** DER prefix of a PKCS #8 Ed25519 private key (RFC 8410), followed by the 32-byte seed. */
const ED25519_PKCS8_PREFIX = fromHex('302e020100300506032b657004220420');

export async function deriveAuditChainKeys(serverSecret: string): Promise<AuditChainKeys> {
  if (serverSecret.length < 32) throw new RangeError('the server secret is at least 32 characters');
  const ikm = utf8.encode(serverSecret);
  const macKeyBytes = await hkdf(ikm, new Uint8Array(0), utf8.encode(CHAIN_INFO), 32);
  const seed = await hkdf(ikm, new Uint8Array(0), utf8.encode(CHECKPOINT_INFO), 32);
  const macKey = await crypto.subtle.importKey('raw', macKeyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const { privateKey, publicKey } = await importEd25519Seed(seed);
  return {
    async macHex(message) {
      return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', macKey, utf8.encode(message))));
    },
    async sign(message) {
      return toBase64Url(
        new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, utf8.encode(message))),
      );
    },
    publicKey,
  };
}

/** Imports an Ed25519 private key from its RFC 8032 seed and returns it with its public key. */
export async function importEd25519Seed(seed: Uint8Array) {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  const pkcs8 = new Uint8Array(ED25519_PKCS8_PREFIX.length + 32);
  pkcs8.set(ED25519_PKCS8_PREFIX);
  pkcs8.set(seed, ED25519_PKCS8_PREFIX.length);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, 'Ed25519', true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  if (!jwk.x) throw new Error('Ed25519 export gave no public key');
  return { privateKey, publicKey: jwk.x };
}

/** Checks an Ed25519 signature (base64url) over `message` with a public key (base64url); never throws. */
export async function verifyAuditSignature(
  publicKey: string,
  message: string,
  signature: string,
): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', copyBytes(fromBase64Url(publicKey)), 'Ed25519', false, [
      'verify',
    ]);
    return await crypto.subtle.verify(
      'Ed25519',
      key,
      copyBytes(fromBase64Url(signature)),
      utf8.encode(message),
    );
  } catch {
    return false;
  }
}
