import {
  AppPasswordList,
  CreateAppPasswordRequest,
  CreateAppPasswordResponse,
  GatewayOverview,
  GatewaySettings,
  IdParams,
  Ok,
  UpdateGatewaySettingsRequest,
} from '@zegel/protocol/api';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { originOf, requireAdmin, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { changeGatewaySettings, getGatewayOverview } from './admin.ts';
import { createAppPassword, listAppPasswords, revokeAppPassword } from './app-passwords.ts';

const actorOf = (request: FastifyRequest) => requireSession(request).actor;

/** App passwords on the account page, and the admin's gateway rules and recent decisions. */
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
  app.get(
    '/api/admin/gateway',
    { config: { access: 'admin' }, schema: { tags: ['admin'], response: { 200: GatewayOverview } } },
    (request) => getGatewayOverview(deps, requireAdmin(request), originOf(request)),
  );
  app.patch(
    '/api/admin/gateway/settings',
    {
      config: { access: 'admin' },
      schema: { tags: ['admin'], body: UpdateGatewaySettingsRequest, response: { 200: GatewaySettings } },
    },
    (request) => changeGatewaySettings(deps, requireAdmin(request), request.body, originOf(request)),
  );
}
