import {
  AppPasswordList,
  CreateAppPasswordRequest,
  CreateAppPasswordResponse,
  IdParams,
  Ok,
} from '@zegel/protocol/api';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { originOf, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { createAppPassword, listAppPasswords, revokeAppPassword } from './app-passwords.ts';

const actorOf = (request: FastifyRequest) => requireSession(request).actor;

/** The account page's app passwords for mail clients that submit through the gateway. */
export function registerGatewayRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/account/app-passwords',
    { config: { access: 'signed-in' }, schema: { tags: ['account'], response: { 200: AppPasswordList } } },
    async (request) => ({ appPasswords: await listAppPasswords(deps, actorOf(request)) }),
  );
  app.post(
    '/api/account/app-passwords',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['account'],
        body: CreateAppPasswordRequest,
        response: { 200: CreateAppPasswordResponse },
      },
    },
    (request) => createAppPassword(deps, actorOf(request), request.body.label, originOf(request)),
  );
  app.delete(
    '/api/account/app-passwords/:id',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['account'], params: IdParams, response: { 200: Ok } },
    },
    async (request) => {
      await revokeAppPassword(deps, actorOf(request), request.params.id, originOf(request));
      return { ok: true as const };
    },
  );
}
