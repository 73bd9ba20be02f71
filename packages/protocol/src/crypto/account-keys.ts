import { argon2id } from 'hash-wasm';
import { toBase64Url } from './encoding.ts';

/** Argon2id cost of an account's password derivation; stored per account so it can be raised later. */
export interface KdfParams {
  algorithm: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

/** OWASP's first recommended Argon2id setting (m=19 MiB, t=2, p=1) raised to 64 MiB, t=3. */
export const defaultKdfParams: KdfParams = {
  algorithm: 'argon2id',
  memoryKiB: 65536,
  iterations: 3,
  parallelism: 1,
};

export interface AccountSecrets {
  /** Sent to the server at sign-in, which hashes it again; reveals nothing about the key-wrapping key. */
  loginSecret: string;
  /** Never leaves the browser: wraps the account's private key (AES-256-GCM key bytes). */
  keyWrappingKey: Uint8Array;
}

const LOGIN_INFO = 'zegel/v1/login-secret';
const WRAP_INFO = 'zegel/v1/key-wrapping-key';

/**
 * Derives both account secrets from the password: Argon2id(password, salt) gives a 32-byte
 * master key, and HKDF-SHA-256 with two different labels splits it into the login secret and
 * the key-wrapping key. HKDF is one-way, so the server, which sees only the login secret,
 * learns nothing about the key-wrapping key.
 */
export async function deriveAccountSecrets(
  password: string,
  salt: Uint8Array,
  params: KdfParams,
): Promise<AccountSecrets> {
  if (salt.length < 16) throw new RangeError('salt must be at least 16 bytes');
  const master = await argon2id({
    password: password.normalize('NFKC'),
    salt,
    iterations: params.iterations,
    memorySize: params.memoryKiB,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
  const login = await hkdfSha256(master, LOGIN_INFO, 32);
  const keyWrappingKey = await hkdfSha256(master, WRAP_INFO, 32);
  return { loginSecret: toBase64Url(login), keyWrappingKey };
}

/** HKDF-SHA-256 with an empty salt (the input is already uniformly random) and a text label. */
export async function hkdfSha256(ikm: Uint8Array, info: string, length: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new Uint8Array(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}
