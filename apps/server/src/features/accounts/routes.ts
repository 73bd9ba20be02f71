import {
  AcceptInvitationRequest,
  CreateInvitationRequest,
  CreateTeamRequest,
  IdParams,
  Invitation,
  InvitationLookupRequest,
  InvitationLookupResponse,
  Me,
  Ok,
  Organisation,
  PasswordResetCompleteRequest,
  PasswordResetLookupResponse,
  PasswordResetRequest,
  PreLoginRequest,
  PreLoginResponse,
  RecoveryCodesResponse,
  SecondFactorRequest,
  Session,
  SetLogoRequest,
  SetTeamMemberRequest,
  SignInRequest,
  SignInResponse,
  Team,
  TeamMemberParams,
  TotpConfirmRequest,
  TotpEnrolmentResponse,
  TrustedDevice,
  UpdateOrganisationRequest,
  UpdateTeamRequest,
  UpdateUserRequest,
  User,
} from '@zegel/protocol/api';
import { fromBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import {
  clearSessionCookie,
  cookieOptions,
  DEVICE_COOKIE,
  originOf,
  requireAdmin,
  requireSession,
  requireStage,
  setSessionCookie,
} from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { describeUserAgent, listTrustedDevices, revokeTrustedDevice } from './devices.ts';
import {
  acceptInvitation,
  inviteUser,
  listInvitations,
  lookupInvitation,
  revokeInvitation,
} from './invitations.ts';
import { getLogo, getOrganisation, setLogo, updateOrganisation } from './organisations.ts';
import { completePasswordReset, lookupPasswordReset, requestPasswordReset } from './password-reset.ts';
import { describeSignedInUser, listSessions, revokeSession, signOut, signOutEverywhere } from './sessions.ts';
import { completeEnrolment, getPreLogin, requireUser, signIn, submitSecondFactor } from './sign-in.ts';
import { createTeam, deleteTeam, listTeams, removeTeamMember, setTeamMember, updateTeam } from './teams.ts';
import { beginTotpEnrolment, renewRecoveryCodes } from './totp.ts';
import { listUsers, updateUser } from './users.ts';

const tags = (tag: string) => ({ tags: [tag] });

/** Sign-in, account and administration routes. Handlers only translate HTTP to service calls. */
export function registerAccountRoutes(app: TypedApp, deps: Deps): void {
  // Sign-in

  app.post(
    '/api/auth/prelogin',
    {
      config: { access: 'public' },
      schema: { ...tags('auth'), body: PreLoginRequest, response: { 200: PreLoginResponse } },
    },
    (request) => getPreLogin(deps, request.body.email),
  );

  app.post(
    '/api/auth/sign-in',
    {
      config: { access: 'public' },
      schema: { ...tags('auth'), body: SignInRequest, response: { 200: SignInResponse } },
    },
    async (request, reply) => {
      const result = await signIn(
        deps,
        {
          email: request.body.email,
          loginSecret: request.body.loginSecret,
          deviceToken: request.cookies[DEVICE_COOKIE],
        },
        originOf(request),
      );
      setSessionCookie(reply, deps, result.token);
      return { stage: result.stage };
    },
  );

  app.post(
    '/api/auth/second-factor',
    {
      config: { access: 'sign-in-step' },
      schema: { ...tags('auth'), body: SecondFactorRequest, response: { 200: SignInResponse } },
    },
    async (request, reply) => {
      const session = requireStage(request, ['second_factor']);
      const result = await submitSecondFactor(
        deps,
        session,
        { ...request.body, deviceLabel: describeUserAgent(originOf(request).userAgent) },
        originOf(request),
      );
      setSessionCookie(reply, deps, result.token);
      if (result.deviceToken)
        void reply.setCookie(DEVICE_COOKIE, result.deviceToken, cookieOptions(deps, result.deviceExpiresAt));
      return { stage: 'full' as const };
    },
  );

  app.post(
    '/api/auth/totp/begin',
    {
      config: { access: 'sign-in-step' },
      schema: { ...tags('auth'), response: { 200: TotpEnrolmentResponse } },
    },
    async (request) => {
      const session = requireStage(request, ['enrolment', 'full']);
      return beginTotpEnrolment(deps, await requireUser(deps, session.actor.userId));
    },
  );

  app.post(
    '/api/auth/totp/confirm',
    {
      config: { access: 'sign-in-step' },
      schema: { ...tags('auth'), body: TotpConfirmRequest, response: { 200: RecoveryCodesResponse } },
    },
    async (request, reply) => {
      const session = requireStage(request, ['enrolment', 'full']);
      const result = await completeEnrolment(
        deps,
        session,
        { ...request.body, deviceLabel: describeUserAgent(originOf(request).userAgent) },
        originOf(request),
      );
      if (result.token) setSessionCookie(reply, deps, result.token);
      if (result.deviceToken)
        void reply.setCookie(DEVICE_COOKIE, result.deviceToken, cookieOptions(deps, result.deviceExpiresAt));
      return { recoveryCodes: result.recoveryCodes };
    },
  );

  app.post(
    '/api/auth/recovery-codes',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('auth'), response: { 200: RecoveryCodesResponse } },
    },
    async (request) => {
      const session = requireSession(request);
      return { recoveryCodes: await renewRecoveryCodes(deps, session.actor.userId) };
    },
  );

  app.post(
    '/api/auth/sign-out',
    { config: { access: 'public' }, schema: { ...tags('auth'), response: { 200: Ok } } },
    async (request, reply) => {
      if (request.session) await signOut(deps, request.session, originOf(request));
      clearSessionCookie(reply, deps);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/sign-out-everywhere',
    { config: { access: 'signed-in' }, schema: { ...tags('auth'), response: { 200: Ok } } },
    async (request, reply) => {
      await signOutEverywhere(deps, requireSession(request), originOf(request));
      clearSessionCookie(reply, deps);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/password-reset/request',
    {
      config: { access: 'public' },
      schema: { ...tags('auth'), body: PasswordResetRequest, response: { 202: Ok } },
    },
    async (request, reply) => {
      await requestPasswordReset(deps, request.body.email, originOf(request));
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.post(
    '/api/auth/password-reset/lookup',
    {
      config: { access: 'public' },
      schema: {
        ...tags('auth'),
        body: InvitationLookupRequest,
        response: { 200: PasswordResetLookupResponse },
      },
    },
    (request) => lookupPasswordReset(deps, request.body.token, originOf(request)),
  );

  app.post(
    '/api/auth/password-reset/complete',
    {
      config: { access: 'public' },
      schema: { ...tags('auth'), body: PasswordResetCompleteRequest, response: { 200: Ok } },
    },
    async (request) => {
      await completePasswordReset(deps, request.body, originOf(request));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/invitations/lookup',
    {
      config: { access: 'public' },
      schema: { ...tags('auth'), body: InvitationLookupRequest, response: { 200: InvitationLookupResponse } },
    },
    (request) => lookupInvitation(deps, request.body.token, originOf(request)),
  );

  app.post(
    '/api/invitations/accept',
    {
      config: { access: 'public' },
      schema: { ...tags('auth'), body: AcceptInvitationRequest, response: { 200: SignInResponse } },
    },
    async (request, reply) => {
      const { token } = await acceptInvitation(deps, request.body, originOf(request));
      setSessionCookie(reply, deps, token);
      return { stage: 'enrolment' as const };
    },
  );

  // The signed-in user

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

  // Administration

  app.get(
    '/api/admin/organisation',
    { config: { access: 'admin' }, schema: { ...tags('admin'), response: { 200: Organisation } } },
    (request) => getOrganisation(deps, requireAdmin(request).organisationId),
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

  app.get(
    '/api/teams',
    { config: { access: 'signed-in' }, schema: { ...tags('teams'), response: { 200: Type.Array(Team) } } },
    (request) => listTeams(deps, requireSession(request).actor.organisationId),
  );

  app.post(
    '/api/admin/teams',
    {
      config: { access: 'admin' },
      schema: { ...tags('admin'), body: CreateTeamRequest, response: { 201: Team } },
    },
    async (request, reply) => {
      const team = await createTeam(deps, requireAdmin(request), request.body, originOf(request));
      return reply.status(201).send(team);
    },
  );

  app.patch(
    '/api/teams/:id',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('teams'), params: IdParams, body: UpdateTeamRequest, response: { 200: Team } },
    },
    (request) =>
      updateTeam(deps, requireSession(request).actor, request.params.id, request.body, originOf(request)),
  );

  app.delete(
    '/api/admin/teams/:id',
    { config: { access: 'admin' }, schema: { ...tags('admin'), params: IdParams, response: { 200: Ok } } },
    async (request) => {
      await deleteTeam(deps, requireAdmin(request), request.params.id, originOf(request));
      return { ok: true as const };
    },
  );

  app.put(
    '/api/teams/:id/members/:userId',
    {
      config: { access: 'signed-in' },
      schema: {
        ...tags('teams'),
        params: TeamMemberParams,
        body: SetTeamMemberRequest,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await setTeamMember(
        deps,
        requireSession(request).actor,
        request.params.id,
        request.params.userId,
        request.body.role,
        originOf(request),
      );
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/teams/:id/members/:userId',
    {
      config: { access: 'signed-in' },
      schema: { ...tags('teams'), params: TeamMemberParams, response: { 200: Ok } },
    },
    async (request) => {
      await removeTeamMember(
        deps,
        requireSession(request).actor,
        request.params.id,
        request.params.userId,
        originOf(request),
      );
      return { ok: true as const };
    },
  );
}
