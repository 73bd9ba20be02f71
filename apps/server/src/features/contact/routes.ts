import {
  ContactChallenge,
  ContactCodeRequest,
  ContactCodeResponse,
  ContactFirstMessageRequest,
  ContactPage,
  ContactSlugParams,
  ContactStartRequest,
  ContactStartResponse,
  ContactTeam,
  ContactTeamParams,
  ContactVerifyRequest,
  ContactVerifyResponse,
  GuestParams,
  GuestReplyResponse,
  IdParams,
  TeamContactSettings,
  UpdateTeamContactSettingsRequest,
} from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { guestCookies, setGuestSessionCookie } from '../../http/guest-cookies.ts';
import { originOf, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { registerHandlingRoutes } from './handling-routes.ts';
import { getContactPage, getContactTeam } from './page.ts';
import { changeTeamContactSettings, getTeamContactSettings } from './settings.ts';
import { postFirstMessage, startConversation } from './start-conversation.ts';
import { issueChallenge, requestEmailCode, verifyEmailCode } from './verify-address.ts';

/** Team contact settings (staff) and the organisation's public contact page (no account). */
export function registerContactRoutes(app: TypedApp, deps: Deps): void {
  registerHandlingRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerPageRoutes(app, deps);
  registerFormRoutes(app, deps);
  registerStartRoutes(app, deps);
}

/** A team admin's contact settings. */
function registerSettingsRoutes(app: TypedApp, deps: Deps): void {
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
}

/** The public page and one team's entry. */
function registerPageRoutes(app: TypedApp, deps: Deps): void {
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
}

/** The open form: proof of work, e-mail code, verification. */
function registerFormRoutes(app: TypedApp, deps: Deps): void {
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

/** Starting the conversation and its opening message. */
function registerStartRoutes(app: TypedApp, deps: Deps): void {
  app.post(
    '/api/contact/:slug/teams/:teamId/conversations',
    {
      config: { access: 'public' },
      schema: {
        tags: ['contact'],
        params: ContactTeamParams,
        body: ContactStartRequest,
        response: { 201: ContactStartResponse },
      },
    },
    async (request, reply) => {
      const { response, session } = await startConversation(
        deps,
        request.params.slug,
        request.params.teamId,
        request.body,
        originOf(request),
      );
      setGuestSessionCookie(reply, deps, response.recipientId, session);
      return reply.status(201).send(response);
    },
  );
  app.post(
    '/api/guest/:recipientId/first-message',
    {
      config: { access: 'public' },
      schema: {
        tags: ['contact'],
        params: GuestParams,
        body: ContactFirstMessageRequest,
        response: { 201: GuestReplyResponse },
      },
    },
    async (request, reply) => {
      const result = await postFirstMessage(
        deps,
        request.params.recipientId,
        request.body,
        guestCookies(request),
        originOf(request),
      );
      return reply.status(201).send(result);
    },
  );
}
