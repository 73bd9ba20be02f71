import { ErrorCode } from '@zegel/protocol/errors';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { requireSession } from '../../http/session.ts';
import { CARE_SESSION_COOKIE } from './personal-limits.ts';
import { authenticatePerson } from './personal-sign-in.ts';
import type { CareActor } from './policy.ts';

/**
 * Who calls a network route: a staff member with a full session, or a person with a full
 * personal session (password and, on a new browser, the device code). Anyone else: sign in.
 */
export async function careActorOf(deps: Deps, request: FastifyRequest): Promise<CareActor> {
  if (request.session) return { kind: 'staff', actor: requireSession(request).actor };
  const person = await authenticatePerson(deps, request.cookies[CARE_SESSION_COOKIE]);
  if (!person) throw new AppError(ErrorCode.unauthenticated, 'Sign in first.');
  return { kind: 'person', email: person.account.email, name: person.account.name };
}
