import {
  ContactChallenge,
  ContactCodeRequest,
  ContactCodeResponse,
  ContactPage,
  ContactSlugParams,
  ContactTeam,
  ContactTeamParams,
  ContactVerifyRequest,
  ContactVerifyResponse,
  IdParams,
  TeamContactSettings,
  UpdateTeamContactSettingsRequest,
} from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { originOf, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { registerHandlingRoutes } from './handling-routes.ts';
import { getContactPage, getContactTeam } from './page.ts';
import { changeTeamContactSettings, getTeamContactSettings } from './settings.ts';
import { issueChallenge, requestEmailCode, verifyEmailCode } from './verify-address.ts';

/** Team contact settings (staff) and the organisation's public contact page (no account). */
export function registerContactRoutes(app: TypedApp, deps: Deps): void {
  registerHandlingRoutes(app, deps);
  app.get(
    '/api/teams/:id/contact-settings',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['teams'], params: IdParams, response: { 200: TeamContactSettings } },
    },
    (request) => getTeamContactSettings(deps, requireSession(request).actor, request.params.id),
  );
  app.patch(
    '/api/teams/:id/contact-settings',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['teams'],
        params: IdParams,
        body: UpdateTeamContactSettingsRequest,
        response: { 200: TeamContactSettings },
      },
    },
    (request) =>
      changeTeamContactSettings(
        deps,
        requireSession(request).actor,
        request.params.id,
        request.body,
        originOf(request),
      ),
  );
  app.get(
    '/api/contact/:slug',
    {
      config: { access: 'public' },
      schema: { tags: ['contact'], params: ContactSlugParams, response: { 200: ContactPage } },
    },
    (request) => getContactPage(deps, request.params.slug),
  );
  app.get(
    '/api/contact/:slug/teams/:teamId',
    {
      config: { access: 'public' },
      schema: {
        tags: ['contact'],
        params: ContactTeamParams,
        response: {
          200: Type.Object({ organisation: ContactPage.properties.organisation, team: ContactTeam }),
        },
      },
    },
    (request) => getContactTeam(deps, request.params.slug, request.params.teamId),
  );
  app.post(
    '/api/contact/:slug/challenge',
    {
      config: { access: 'public' },
      schema: { tags: ['contact'], params: ContactSlugParams, response: { 200: ContactChallenge } },
    },
    (request) => issueChallenge(deps, request.params.slug, originOf(request)),
  );
  app.post(
    '/api/contact/:slug/teams/:teamId/email-code',
    {
      config: { access: 'public' },
      schema: {
        tags: ['contact'],
        params: ContactTeamParams,
        body: ContactCodeRequest,
        response: { 200: ContactCodeResponse },
      },
    },
    (request) =>
      requestEmailCode(deps, request.params.slug, request.params.teamId, request.body, originOf(request)),
  );
  app.post(
    '/api/contact/:slug/teams/:teamId/verify',
    {
      config: { access: 'public' },
      schema: {
        tags: ['contact'],
        params: ContactTeamParams,
        body: ContactVerifyRequest,
        response: { 200: ContactVerifyResponse },
      },
    },
    (request) =>
      verifyEmailCode(deps, request.params.slug, request.params.teamId, request.body, originOf(request)),
  );
}
