import { ErrorCode } from '@zegel/protocol/errors';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { requireSession } from '../../http/session.ts';
import { CARE_SESSION_COOKIE } from './personal-limits.ts';
import { authenticatePerson } from './personal-sign-in.ts';
import type { CareActor } from './policy.ts';

/** The caller of each request, found once before the body is read (weakly held: gone with the request). */
const actors = new WeakMap<FastifyRequest, CareActor>();

/**
 * Who calls a network route: a staff member with a full session, or a person with a full
 * personal session (password and, on a new browser, the device code). Anyone else: sign in.
 */
async function resolveCareActor(deps: Deps, request: FastifyRequest): Promise<CareActor> {
  if (request.session) return { kind: 'staff', actor: requireSession(request).actor };
  const person = await authenticatePerson(deps, request.cookies[CARE_SESSION_COOKIE]);
  if (!person) throw new AppError(ErrorCode.unauthenticated, 'Sign in first.');
  return { kind: 'person', email: person.account.email, name: person.account.name };
}

/**
 * The route option for network routes: the caller is checked on request, before the body is
 * validated, so an anonymous caller learns nothing but "sign in first" (as `access` does).
 */
export function careMemberRoute(deps: Deps) {
  return {
    config: { access: 'public' as const },
    onRequest: async (request: FastifyRequest) => {
      actors.set(request, await resolveCareActor(deps, request));
    },
  };
}

/** The caller found by `careMemberRoute`. */
export function careActorOf(request: FastifyRequest): CareActor {
  const actor = actors.get(request);
  if (!actor) throw new AppError(ErrorCode.unauthenticated, 'Sign in first.');
  return actor;
}
