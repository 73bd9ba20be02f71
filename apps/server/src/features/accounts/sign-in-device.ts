import { toBase64Url } from '@zegel/protocol/crypto';
import { createRandomBytes, keyedHash, safeEqual } from '../../adapters/tokens.ts';
import type { Deps } from '../../deps.ts';
import { signInDeviceLifetimeDays } from './limits.ts';
import { serverSecret } from './server-secret.ts';
import type { UserRow } from './store.ts';

/**
 * Device cookies (OWASP "slow down online guessing with device cookies"): after a right
 * password the browser gets `nonce.expiry.mac`, where the MAC (keyed by the server secret) binds
 * the nonce to the account and to its current password hash. Failures from a browser with a
 * valid cookie count only against that browser (its nonce), so strangers elsewhere cannot lock
 * the owner out. A new password ends every cookie; the server stores nothing.
 */
export interface SignInDevice {
  nonce: string;
}

const LABEL = 'zegel/sign-in-device/v1';

function macOf(deps: Deps, user: UserRow, nonce: string, expiresAtMs: number): string {
  return keyedHash(
    serverSecret(deps),
    LABEL,
    `${user.id}|${user.login_hash}|${nonce}|${expiresAtMs}`,
  ).toString('base64url');
}

export function issueSignInDevice(deps: Deps, user: UserRow): { value: string; expiresAt: Date } {
  const nonce = toBase64Url(createRandomBytes(16));
  const expiresAt = new Date(deps.clock.now().getTime() + signInDeviceLifetimeDays * 86_400_000);
  return {
    value: `${nonce}.${expiresAt.getTime()}.${macOf(deps, user, nonce, expiresAt.getTime())}`,
    expiresAt,
  };
}

/** The device of a cookie when it is valid for this account and not expired. */
export function readSignInDevice(
  deps: Deps,
  user: UserRow,
  cookie: string | undefined,
): SignInDevice | undefined {
  const [nonce, expiry, mac, extra] = (cookie ?? '').split('.');
  if (!nonce || !expiry || !mac || extra !== undefined || !/^[0-9]{1,15}$/.test(expiry)) return undefined;
  const expiresAtMs = Number(expiry);
  if (expiresAtMs <= deps.clock.now().getTime()) return undefined;
  return safeEqual(mac, macOf(deps, user, nonce, expiresAtMs)) ? { nonce } : undefined;
}
