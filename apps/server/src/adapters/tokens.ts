import { createHash, createHmac, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/** A random bearer token (session, invitation, device, reset): 256 bits, base64url. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Random bytes (salts). */
export function createRandomBytes(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}

/**
 * Tokens are stored as their SHA-256: they carry 256 bits of randomness, so a fast hash is
 * enough, and a database dump then holds nothing that can be replayed.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Keyed hash with the server secret, for values that must not be guessable from a dump. */
export function keyedHash(secret: string, label: string, value: string): Buffer {
  return createHmac('sha256', secret).update(`${label}\0${value}`).digest();
}

const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * Hashes the login secret (itself already the output of Argon2id in the browser) again with
 * scrypt, so a stolen hash cannot be replayed as the login secret.
 */
export async function hashLoginSecret(loginSecret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(loginSecret, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyLoginSecret(loginSecret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(loginSecret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** Constant-time comparison of two strings of possibly different length. */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

/** A uniformly random numeric code (SMS codes), e.g. "042917". */
export function createNumericCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(10));
  return code;
}
