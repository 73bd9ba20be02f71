import { DlpEventRequest, DlpPolicyResponse, Ok, UpdateDlpPolicyRequest } from '@zegel/protocol/api';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { originOf, requireAdmin, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { changeDlpPolicy, getDlpPolicy, recordDlpEvent } from './service.ts';

const actorOf = (request: FastifyRequest) => requireSession(request).actor;

/** Leak prevention: the policy the composer applies, its admin page, and audit reports. */
export function registerDlpRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/dlp/policy',
    { config: { access: 'signed-in' }, schema: { tags: ['dlp'], response: { 200: DlpPolicyResponse } } },
    (request) => getDlpPolicy(deps, actorOf(request).organisationId),
  );
  app.patch(
    '/api/admin/dlp/policy',
    {
      config: { access: 'admin' },
      schema: { tags: ['admin'], body: UpdateDlpPolicyRequest, response: { 200: DlpPolicyResponse } },
    },
    (request) => changeDlpPolicy(deps, requireAdmin(request), request.body, originOf(request)),
  );
  app.post(
    '/api/dlp/overrides',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['dlp'], body: DlpEventRequest, response: { 200: Ok } },
    },
    async (request) => {
      await recordDlpEvent(deps, actorOf(request), request.body, originOf(request));
      return { ok: true as const };
    },
  );
}
