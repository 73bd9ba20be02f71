import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { cookieOptions } from './session.ts';

/** A guest's session and remembered-browser cookies: one pair per recipient, sent nowhere else. */
export const GUEST_SESSION_COOKIE = 'zegel_guest';
export const GUEST_DEVICE_COOKIE = 'zegel_guest_device';

/** Guest cookies live under the guest's own API path. */
export function guestCookiePath(recipientId: string) {
  return `/api/guest/${recipientId}`;
}

export function guestCookies(request: FastifyRequest): { session?: string; device?: string } {
  const session = request.cookies[GUEST_SESSION_COOKIE];
  const device = request.cookies[GUEST_DEVICE_COOKIE];
  return { ...(session ? { session } : {}), ...(device ? { device } : {}) };
}

export function setGuestSessionCookie(
  reply: FastifyReply,
  deps: Deps,
  recipientId: string,
  session: { token: string },
) {
  void reply.setCookie(GUEST_SESSION_COOKIE, session.token, {
    ...cookieOptions(deps),
    path: guestCookiePath(recipientId),
  });
}

export function setGuestDeviceCookie(
  reply: FastifyReply,
  deps: Deps,
  recipientId: string,
  device: { token: string; expiresAt: Date },
) {
  void reply.setCookie(GUEST_DEVICE_COOKIE, device.token, {
    ...cookieOptions(deps, device.expiresAt),
    path: guestCookiePath(recipientId),
  });
}

export function clearGuestSessionCookie(reply: FastifyReply, deps: Deps, recipientId: string) {
  void reply.clearCookie(GUEST_SESSION_COOKIE, {
    ...cookieOptions(deps),
    path: guestCookiePath(recipientId),
  });
}
