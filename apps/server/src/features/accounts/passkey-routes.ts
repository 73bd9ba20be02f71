import {
  IdParams,
  Ok,
  Passkey,
  PasskeyOptions,
  PasskeySignInRequest,
  RegisterPasskeyRequest,
  RenamePasskeyRequest,
  SignInResponse,
} from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { originOf, requireSession, requireStage, setSessionCookie } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import {
  beginPasskeyRegistration,
  beginPasskeySignIn,
  finishPasskeyRegistration,
  finishPasskeySignIn,
  listPasskeys,
  removePasskey,
  renamePasskey,
} from './passkeys.ts';

const tags = { tags: ['account'] };

/** The signed-in user's passkeys: list, add (two steps), rename, remove. */
export function registerPasskeyRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/account/passkeys',
    { config: { access: 'signed-in' }, schema: { ...tags, response: { 200: Type.Array(Passkey) } } },
    (request) => listPasskeys(deps, requireSession(request)),
  );
  app.post(
    '/api/account/passkeys/options',
    { config: { access: 'signed-in' }, schema: { ...tags, response: { 200: PasskeyOptions } } },
    (request) => beginPasskeyRegistration(deps, requireSession(request)),
  );
  app.post(
    '/api/account/passkeys',
    {
      config: { access: 'signed-in' },
      schema: { ...tags, body: RegisterPasskeyRequest, response: { 201: Passkey } },
    },
    async (request, reply) => {
      const passkey = await finishPasskeyRegistration(
        deps,
        requireSession(request),
        request.body,
        originOf(request),
      );
      return reply.status(201).send(passkey);
    },
  );
  app.patch(
    '/api/account/passkeys/:id',
    {
      config: { access: 'signed-in' },
      schema: { ...tags, params: IdParams, body: RenamePasskeyRequest, response: { 200: Ok } },
    },
    async (request) => {
      await renamePasskey(
        deps,
        requireSession(request),
        request.params.id,
        request.body.name,
        originOf(request),
      );
      return { ok: true as const };
    },
  );
  app.delete(
    '/api/account/passkeys/:id',
    { config: { access: 'signed-in' }, schema: { ...tags, params: IdParams, response: { 200: Ok } } },
    async (request) => {
      await removePasskey(deps, requireSession(request), request.params.id, originOf(request));
      return { ok: true as const };
    },
  );
  registerPasskeySignInRoutes(app, deps);
}

/** A passkey as the second factor, after the password. */
function registerPasskeySignInRoutes(app: TypedApp, deps: Deps): void {
  app.post(
    '/api/auth/passkey/options',
    { config: { access: 'sign-in-step' }, schema: { tags: ['auth'], response: { 200: PasskeyOptions } } },
    (request) => beginPasskeySignIn(deps, requireStage(request, ['second_factor'])),
  );
  app.post(
    '/api/auth/passkey',
    {
      config: { access: 'sign-in-step' },
      schema: { tags: ['auth'], body: PasskeySignInRequest, response: { 200: SignInResponse } },
    },
    async (request, reply) => {
      const { token } = await finishPasskeySignIn(
        deps,
        requireStage(request, ['second_factor']),
        request.body.credential,
        originOf(request),
      );
      setSessionCookie(reply, deps, token);
      return { stage: 'full' as const };
    },
  );
}
