import {
  CreateInvitationRequest,
  IdParams,
  Invitation,
  Ok,
  Organisation,
  SetLogoRequest,
  SignInStorms,
  UpdateOrganisationRequest,
  UpdateUserRequest,
  User,
} from '@zegel/protocol/api';
import { fromBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { originOf, requireAdmin } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { inviteUser, listInvitations, revokeInvitation } from './invitations.ts';
import { getOrganisation, setLogo, updateOrganisation } from './organisations.ts';
import { listSignInStorms } from './sign-in-storms.ts';
import { listUsers, updateUser } from './users.ts';

const tags = (tag: string) => ({ tags: [tag] });

/** Administration of the organisation: its profile and logo, users and invitations. */
export function registerAdminRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/admin/organisation',
    { config: { access: 'admin' }, schema: { ...tags('admin'), response: { 200: Organisation } } },
    (request) => getOrganisation(deps, requireAdmin(request).organisationId),
  );

  app.get(
    '/api/admin/sign-in-storms',
    { config: { access: 'admin' }, schema: { ...tags('admin'), response: { 200: SignInStorms } } },
    (request) => listSignInStorms(deps, requireAdmin(request).organisationId),
  );

  app.patch(
    '/api/admin/organisation',
    {
      config: { access: 'admin' },
      schema: { ...tags('admin'), body: UpdateOrganisationRequest, response: { 200: Organisation } },
    },
    (request) => updateOrganisation(deps, requireAdmin(request), request.body, originOf(request)),
  );

  app.put(
    '/api/admin/organisation/logo',
    {
      config: { access: 'admin' },
      schema: { ...tags('admin'), body: SetLogoRequest, response: { 200: Ok } },
    },
    async (request) => {
      const actor = requireAdmin(request);
      let data: Uint8Array;
      try {
        data = fromBase64Url(request.body.data.replace(/=+$/, ''));
      } catch {
        throw new AppError(ErrorCode.validationFailed, 'The logo data is not base64url.');
      }
      await setLogo(deps, actor, { type: request.body.type, data }, originOf(request));
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/admin/organisation/logo',
    { config: { access: 'admin' }, schema: { ...tags('admin'), response: { 200: Ok } } },
    async (request) => {
      await setLogo(deps, requireAdmin(request), null, originOf(request));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/admin/users',
    { config: { access: 'admin' }, schema: { ...tags('admin'), response: { 200: Type.Array(User) } } },
    (request) => listUsers(deps, requireAdmin(request).organisationId),
  );

  app.patch(
    '/api/admin/users/:id',
    {
      config: { access: 'admin' },
      schema: { ...tags('admin'), params: IdParams, body: UpdateUserRequest, response: { 200: User } },
    },
    (request) => updateUser(deps, requireAdmin(request), request.params.id, request.body, originOf(request)),
  );

  app.get(
    '/api/admin/invitations',
    { config: { access: 'admin' }, schema: { ...tags('admin'), response: { 200: Type.Array(Invitation) } } },
    (request) => listInvitations(deps, requireAdmin(request)),
  );

  app.post(
    '/api/admin/invitations',
    {
      config: { access: 'admin' },
      schema: {
        ...tags('admin'),
        body: CreateInvitationRequest,
        response: { 201: Type.Object({ id: Type.String(), expiresAt: Type.String() }) },
      },
    },
    async (request, reply) => {
      const actor = requireAdmin(request);
      const invitation = await inviteUser(deps, actor, actor.organisationId, request.body, originOf(request));
      return reply.status(201).send({ id: invitation.id, expiresAt: invitation.expiresAt.toISOString() });
    },
  );

  app.delete(
    '/api/admin/invitations/:id',
    { config: { access: 'admin' }, schema: { ...tags('admin'), params: IdParams, response: { 200: Ok } } },
    async (request) => {
      await revokeInvitation(deps, requireAdmin(request), request.params.id, originOf(request));
      return { ok: true as const };
    },
  );
}
