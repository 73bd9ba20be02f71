import { ErrorCode } from '@zegel/protocol/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Deps, RequestOrigin } from '../deps.ts';
import { AppError } from '../errors.ts';
import { authenticateSession, type SessionContext } from '../features/accounts/index.ts';

export const SESSION_COOKIE = 'zegel_session';
export const DEVICE_COOKIE = 'zegel_device';
/** The sign-in device cookie (features/accounts/sign-in-device.ts), sent only to the sign-in route. */
export const SIGN_IN_DEVICE_COOKIE = 'zegel_sign_in_device';

/**
 * Who may call a route, declared on the route (`config: { access }`) and checked before the
 * body is even validated, so an anonymous caller learns nothing but "sign in first".
 * - public: anyone (sign-in steps, invitation and reset links, health)
 * - sign-in-step: a session in any stage (enrolment, second factor, full)
 * - signed-in: a full session (password and second factor); the default
 * - admin: a full session of an organisation administrator
 */
export type Access = 'public' | 'sign-in-step' | 'signed-in' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionContext | undefined;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** Read the organisation and teams with the session, in its one query (GET /api/me). */
    sessionProfile?: boolean;
  }
}

/** Reads the session cookie on every API request; routes then ask for what they need. */
export function registerSessionLookup(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('session', undefined);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !request.url.startsWith('/api/')) return;
    const withProfile = request.routeOptions.config.sessionProfile === true;
    request.session = await authenticateSession(deps, token, { withProfile });
  });
}

/** Enforces each route's declared access; routes that declare nothing need a full session. */
export function registerAccessControl(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access ?? 'signed-in';
    if (access === 'public') return;
    if (access === 'sign-in-step') {
      requireStage(request, ['enrolment', 'second_factor', 'full']);
      return;
    }
    if (access === 'admin') requireAdmin(request);
    else requireSession(request);
  });
}

export function originOf(request: FastifyRequest): RequestOrigin {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null };
}

/** A signed-in session that has passed the second factor. */
export function requireSession(request: FastifyRequest): SessionContext {
  const session = request.session;
  if (!session) throw new AppError(ErrorCode.unauthenticated, 'Sign in first.');
  if (session.stage === 'enrolment')
    throw new AppError(ErrorCode.enrolmentRequired, 'Set up your authenticator app first.');
  if (session.stage !== 'full')
    throw new AppError(ErrorCode.secondFactorRequired, 'Enter the code from your authenticator app first.');
  return session;
}

/** A session at a given sign-in stage (second factor, enrolment), or full where allowed. */
export function requireStage(request: FastifyRequest, stages: SessionContext['stage'][]): SessionContext {
  const session = request.session;
  if (!session || !stages.includes(session.stage))
    throw new AppError(ErrorCode.unauthenticated, 'Sign in first.');
  return session;
}

export function requireAdmin(request: FastifyRequest): Actor {
  const session = requireSession(request);
  if (session.actor.role !== 'admin')
    throw new AppError(ErrorCode.forbidden, 'Only administrators may do this.');
  return session.actor;
}

export function cookieOptions(deps: Deps, expires?: Date) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: deps.config.publicUrl.startsWith('https:'),
    ...(expires ? { expires } : {}),
  };
}

export function setSessionCookie(reply: FastifyReply, deps: Deps, token: string): void {
  void reply.setCookie(SESSION_COOKIE, token, cookieOptions(deps));
}

export function clearSessionCookie(reply: FastifyReply, deps: Deps): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(deps));
}
