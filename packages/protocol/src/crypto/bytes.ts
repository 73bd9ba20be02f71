/** Byte helpers shared by the crypto modules; internal, not exported from the door. */

/**
 * WebCrypto's key type, named through `crypto.subtle` rather than the DOM's global `CryptoKey`,
 * so these files type-check both with lib.dom (browser) and with only @types/node (server, bench).
 */
export type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** A fresh copy in a plain ArrayBuffer, the form WebCrypto's BufferSource accepts everywhere. */
export function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/**
 * A view WebCrypto accepts without copying when the bytes already live in a plain ArrayBuffer
 * (the usual case); a copy only for SharedArrayBuffer-backed input. WebCrypto copies its input
 * before it returns, so a later change to the caller's buffer cannot race the operation.
 */
export function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : copyBytes(bytes);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** Compares without an early exit, so the time taken does not tell how many leading bytes match. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) throw new TypeError('not hex');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Encodes a domain-separation label and its context fields without ambiguity:
 * `label ‖ 0x00 ‖ (u32be(len) ‖ field)*`. Length prefixes keep ("ab","c") and ("a","bc") apart,
 * which plain concatenation would not.
 */
export function encodeLabelled(
  label: string,
  ...fields: readonly (string | Uint8Array)[]
): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [encoder.encode(label), new Uint8Array([0])];
  for (const field of fields) {
    const bytes = typeof field === 'string' ? encoder.encode(field) : field;
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length);
    parts.push(length, bytes);
  }
  return concatBytes(...parts);
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', copyBytes(bytes)));
}

/** HKDF-SHA-256 with binary salt and info (the text-label variant lives in account-keys.ts). */
export async function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', copyBytes(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: copyBytes(salt), info: copyBytes(info) },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

export async function importAesGcmKey(raw: Uint8Array): Promise<WebCryptoKey> {
  if (raw.length !== 32) throw new RangeError('an AES-256-GCM key is 32 bytes');
  return crypto.subtle.importKey('raw', copyBytes(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
}
