import { ContactSlugParams, IdParams, Me, Ok, Session, TrustedDevice } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { originOf, requireSession, requireStage } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { listTrustedDevices, revokeTrustedDevice } from './devices.ts';
import { findOrganisationBySlug } from './directory.ts';
import { getLogo } from './organisations.ts';
import { describeSignedInUser, listSessions, revokeSession } from './sessions.ts';

const tags = (tag: string) => ({ tags: [tag] });

/** The signed-in user: who they are, their sessions and trusted devices, the organisation logo. */
export function registerOwnAccountRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/me',
    {
      config: { access: 'sign-in-step', sessionProfile: true },
      schema: { ...tags('account'), response: { 200: Me } },
    },
    (request) => describeSignedInUser(requireStage(request, ['full', 'enrolment', 'second_factor'])),
  );

  app.get(
    '/api/account/sessions',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('account'), response: { 200: Type.Array(Session) } },
    },
    (request) => listSessions(deps, requireSession(request)),
  );

  app.delete(
    '/api/account/sessions/:id',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('account'), params: IdParams, response: { 200: Ok } },
    },
    async (request) => {
      await revokeSession(deps, requireSession(request), request.params.id, originOf(request));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/account/devices',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('account'), response: { 200: Type.Array(TrustedDevice) } },
    },
    (request) => listTrustedDevices(deps, requireSession(request)),
  );

  app.delete(
    '/api/account/devices/:id',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('account'), params: IdParams, response: { 200: Ok } },
    },
    async (request) => {
      await revokeTrustedDevice(deps, requireSession(request), request.params.id, originOf(request));
      return { ok: true as const };
    },
  );

  // The logo is the organisation's public face: the contact page, the guest pages and the
  // notification mail show it to people without an account.
  app.get(
    '/api/organisations/:slug/logo',
    { config: { access: 'public' }, schema: { ...tags('account'), params: ContactSlugParams } },
    async (request, reply) => {
      const organisation = await findOrganisationBySlug(deps, request.params.slug);
      if (!organisation) throw new AppError(ErrorCode.notFound, 'No such organisation.');
      const logo = await getLogo(deps, organisation.id);
      return reply
        .type(logo.type)
        .header('cache-control', 'public, max-age=300')
        .send(Buffer.from(logo.data));
    },
  );
  app.get(
    '/api/organisation/logo',
    { config: { access: 'signed-in' }, schema: { ...tags('account') } },
    async (request, reply) => {
      const logo = await getLogo(deps, requireSession(request).actor.organisationId);
      return reply
        .type(logo.type)
        .header('cache-control', 'private, max-age=300')
        .send(Buffer.from(logo.data));
    },
  );
}
