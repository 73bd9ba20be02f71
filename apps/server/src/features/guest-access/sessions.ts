import { VerificationLimits } from '@zegel/protocol/limits';
import { createToken, hashToken } from '../../adapters/tokens.ts';
import type { Deps } from '../../deps.ts';
import {
  deleteGuestSession,
  insertGuestDevice,
  insertGuestSession,
  selectGuestDevice,
  selectGuestSession,
} from './store.ts';

type DbDeps = Pick<Deps, 'db'>;

/** Cookies a guest request carries (read by the HTTP layer, which alone sees HTTP). */
export interface GuestCookies {
  session?: string | undefined;
  device?: string | undefined;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Whether the session cookie is a live session of this guest. */
export async function hasGuestSession(
  deps: DbDeps,
  participantId: string,
  token: string | undefined,
  now: Date,
) {
  if (!token) return false;
  const session = await selectGuestSession(deps.db, hashToken(token));
  return !!session && session.participant_id === participantId && session.expires_at > now;
}

/** Whether the device cookie is a remembered browser of this guest. */
export async function isRememberedBrowser(
  deps: DbDeps,
  participantId: string,
  token: string | undefined,
  now: Date,
) {
  if (!token) return false;
  const device = await selectGuestDevice(deps.db, hashToken(token));
  return !!device && device.participant_id === participantId && device.expires_at > now;
}

/** A short guest session (after verification, or for a person who just proved their address). */
export async function openGuestSession(deps: DbDeps, participantId: string, now: Date): Promise<IssuedToken> {
  const token = createToken();
  const expiresAt = new Date(now.getTime() + VerificationLimits.guestSessionMinutes * 60_000);
  await insertGuestSession(deps.db, {
    id: crypto.randomUUID(),
    participant_id: participantId,
    token_hash: hashToken(token),
    created_at: now,
    expires_at: expiresAt,
  });
  return { token, expiresAt };
}

/** Remembers this browser for the guest for some days, so verification can be skipped. */
export async function rememberBrowser(
  deps: DbDeps,
  participantId: string,
  days: number,
  now: Date,
): Promise<IssuedToken> {
  const device = { token: createToken(), expiresAt: new Date(now.getTime() + days * 86_400_000) };
  await insertGuestDevice(deps.db, {
    id: crypto.randomUUID(),
    participant_id: participantId,
    token_hash: hashToken(device.token),
    created_at: now,
    expires_at: device.expiresAt,
  });
  return device;
}

export async function endGuestSession(deps: DbDeps, token: string | undefined) {
  if (token) await deleteGuestSession(deps.db, hashToken(token));
  return { ok: true as const };
}
