import type { FastifyRequest } from 'fastify';
import type { Actor } from '../deps.ts';
import { requireSession } from './session.ts';

/** The signed-in staff member making the request (routes declare who may call them). */
export function actorOf(request: FastifyRequest): Actor {
  return requireSession(request).actor;
}

/** The `Range` header of a download request, when there is exactly one. */
export function rangeHeader(request: FastifyRequest): string | undefined {
  const value = request.headers.range;
  return typeof value === 'string' ? value : undefined;
}
