import {
  AcceptInvitationRequest,
  InvitationLookupRequest,
  InvitationLookupResponse,
  Ok,
  PasswordResetCompleteRequest,
  PasswordResetLookupResponse,
  PasswordResetRequest,
  PreLoginRequest,
  PreLoginResponse,
  RecoveryCodesResponse,
  SecondFactorRequest,
  SignInRequest,
  SignInResponse,
  TotpConfirmRequest,
  TotpEnrolmentResponse,
} from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import {
  clearSessionCookie,
  cookieOptions,
  DEVICE_COOKIE,
  originOf,
  requireSession,
  requireStage,
  SIGN_IN_DEVICE_COOKIE,
  setSessionCookie,
} from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { describeUserAgent } from './devices.ts';
import { acceptInvitation, lookupInvitation } from './invitations.ts';
import { completePasswordReset, lookupPasswordReset, requestPasswordReset } from './password-reset.ts';
import { signOut, signOutEverywhere } from './sessions.ts';
import { completeEnrolment, getPreLogin, requireUser, signIn, submitSecondFactor } from './sign-in.ts';
import { beginTotpEnrolment, renewRecoveryCodes } from './totp.ts';

const tags = (tag: string) => ({ tags: [tag] });

/** Sign-in: pre-login, password, second factor, TOTP enrolment, sign-out, password reset and invitations. */
export function registerAuthRoutes(app: TypedApp, deps: Deps): void {
  registerSignInRoutes(app, deps);
  registerSignOutAndResetRoutes(app, deps);
}

/** The password step: checks the login secret and renews the browser's sign-in device cookie. */
function registerPasswordRoute(app: TypedApp, deps: Deps): void {
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
          signInDevice: request.cookies[SIGN_IN_DEVICE_COOKIE],
          proofOfWork: request.body.proofOfWork,
        },
        originOf(request),
      );
      setSessionCookie(reply, deps, result.token);
      void reply.setCookie(SIGN_IN_DEVICE_COOKIE, result.signInDevice.value, {
        ...cookieOptions(deps, result.signInDevice.expiresAt),
        path: '/api/auth/sign-in',
      });
      return { stage: result.stage };
    },
  );
}

/** Pre-login, password, second factor and TOTP enrolment. */
function registerSignInRoutes(app: TypedApp, deps: Deps): void {
  registerPasswordRoute(app, deps);
  app.post(
    '/api/auth/prelogin',
    {
      config: { access: 'public' },
      schema: { ...tags('auth'), body: PreLoginRequest, response: { 200: PreLoginResponse } },
    },
    (request) => getPreLogin(deps, request.body.email),
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
}

/** Sign-out, password reset, and accepting an invitation. */
function registerSignOutAndResetRoutes(app: TypedApp, deps: Deps): void {
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
}
