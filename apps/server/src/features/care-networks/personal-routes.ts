import { AccountKeys, Email, Ok } from '@zegel/protocol/api';
import { toBase64Url } from '@zegel/protocol/crypto';
import { ErrorCode } from '@zegel/protocol/errors';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { cookieOptions } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { acceptInvitation, lookupInvitation } from './personal-invitations.ts';
import { CARE_DEVICE_COOKIE, CARE_SESSION_COOKIE, personalLimits } from './personal-limits.ts';
import {
  authenticatePerson,
  personalPrelogin,
  personalSignIn,
  personalSignOut,
  startSession,
  trustBrowser,
  verifyDeviceCode,
} from './personal-sign-in.ts';

const tags = ['care-networks'];
const strict = { additionalProperties: false } as const;
const Token = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
const LoginSecret = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
const Kdf = Type.Object({
  algorithm: Type.Literal('argon2id'),
  memoryKiB: Type.Integer(),
  iterations: Type.Integer(),
  parallelism: Type.Integer(),
});
const Stage = Type.Object({ stage: Type.Union([Type.Literal('device_code'), Type.Literal('full')]) });

/**
 * Personal accounts for people without a staff account: the invitation link, sign-in with a
 * device code once per 30 days per browser, and who is signed in. All public: each checks its
 * own token or session.
 */
export function registerPersonalRoutes(app: TypedApp, deps: Deps): void {
  const sessionCookie = () => cookieOptions(deps);
  app.post(
    '/api/care/invitations/lookup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        body: Type.Object({ token: Token }, strict),
        response: {
          200: Type.Object({
            name: Type.String(),
            email: Type.String(),
            kdfSalt: Type.String(),
            kdfParams: Kdf,
          }),
        },
      },
    },
    (request) => lookupInvitation(deps, request.body.token),
  );
  app.post(
    '/api/care/invitations/accept',
    {
      config: { access: 'public' },
      schema: {
        tags,
        body: Type.Object({ token: Token, loginSecret: LoginSecret, ...AccountKeys.properties }, strict),
        response: { 200: Stage },
      },
    },
    async (request, reply) => {
      const accountId = await acceptInvitation(deps, request.body);
      const session = await startSession(deps, accountId, 'full');
      const device = await trustBrowser(deps, accountId);
      void reply.setCookie(CARE_SESSION_COOKIE, session.token, sessionCookie());
      void reply.setCookie(CARE_DEVICE_COOKIE, device.deviceToken, cookieOptions(deps, device.expiresAt));
      return { stage: 'full' as const };
    },
  );
  registerPersonalSignInRoutes(app, deps);
}

/** Sign-in with password and, on a browser not trusted, the device code; sign-out; who is signed in. */
function registerPersonalSignInRoutes(app: TypedApp, deps: Deps): void {
  const sessionCookie = () => cookieOptions(deps);
  app.post(
    '/api/care/auth/prelogin',
    { config: { access: 'public' }, schema: { tags, body: Type.Object({ email: Email }, strict) } },
    (request) => personalPrelogin(deps, request.body.email),
  );
  app.post(
    '/api/care/auth/sign-in',
    {
      config: { access: 'public' },
      schema: {
        tags,
        body: Type.Object({ email: Email, loginSecret: LoginSecret }, strict),
        response: { 200: Stage },
      },
    },
    async (request, reply) => {
      const result = await personalSignIn(deps, request.body, request.cookies[CARE_DEVICE_COOKIE]);
      void reply.setCookie(CARE_SESSION_COOKIE, result.token, sessionCookie());
      return { stage: result.stage };
    },
  );
  app.post(
    '/api/care/auth/device-code',
    {
      config: { access: 'public' },
      schema: {
        tags,
        body: Type.Object(
          { code: Type.String({ pattern: `^[0-9]{${personalLimits.codeLength}}$` }) },
          strict,
        ),
        response: { 200: Stage },
      },
    },
    async (request, reply) => {
      const device = await verifyDeviceCode(deps, request.cookies[CARE_SESSION_COOKIE], request.body.code);
      void reply.setCookie(CARE_DEVICE_COOKIE, device.deviceToken, cookieOptions(deps, device.expiresAt));
      return { stage: 'full' as const };
    },
  );
  app.post(
    '/api/care/auth/sign-out',
    { config: { access: 'public' }, schema: { tags, response: { 200: Ok } } },
    async (request, reply) => {
      await personalSignOut(deps, request.cookies[CARE_SESSION_COOKIE]);
      void reply.clearCookie(CARE_SESSION_COOKIE, cookieOptions(deps));
      return { ok: true as const };
    },
  );
  app.get(
    '/api/care/me',
    {
      config: { access: 'public' },
      schema: {
        tags,
        response: {
          200: Type.Object({
            name: Type.String(),
            email: Type.String(),
            publicKey: Type.String(),
            wrappedPrivateKey: Type.String(),
          }),
        },
      },
    },
    async (request) => {
      const person = await authenticatePerson(deps, request.cookies[CARE_SESSION_COOKIE]);
      if (!person) throw new AppError(ErrorCode.unauthenticated, 'Sign in first.');
      const { account } = person;
      return {
        name: account.name,
        email: account.email,
        publicKey: account.public_key,
        wrappedPrivateKey: toBase64Url(account.wrapped_private_key),
      };
    },
  );
}
