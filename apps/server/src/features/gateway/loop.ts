import { createToken, keyedHash, safeEqual } from '../../adapters/tokens.ts';

/** Set on every mail the gateway sends on (relayed or direct), so it knows the mail when it comes back. */
export const LOOP_HEADER = 'X-Zegel-Processed';

const LABEL = 'gateway/loop/v1';

/** A fresh value: a random nonce and its keyed hash with the server secret (so nobody can forge one). */
export function loopHeaderValue(secret: string): string {
  const nonce = createToken();
  return `${nonce}.${keyedHash(secret, LABEL, nonce).toString('base64url')}`;
}

/** Whether a header value was made by this installation. */
export function isOwnLoopHeader(secret: string, value: string): boolean {
  const [nonce, mac, ...rest] = value.trim().split('.');
  if (!nonce || !mac || rest.length > 0) return false;
  return safeEqual(mac, keyedHash(secret, LABEL, nonce).toString('base64url'));
}
