import {
  AccountKeys,
  AccountKeysResponse,
  AddTeamKeyWrapsRequest,
  AdminTeamKeysResponse,
  CreateTeamKeysRequest,
  DirectoryKeysQuery,
  DirectoryKeysResponse,
  IdParams,
  MyTeamKeysResponse,
  Ok,
} from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/request-context.ts';
import { originOf } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { getAccountKeys, setAccountKeys } from './account-keys.ts';
import { getDirectoryKeys } from './directory.ts';
import { addTeamKeyWraps, createTeamKeys, getMyTeamKeys, getTeamKeyStatus } from './team-keys.ts';

const schema = { tags: ['keys'] };

/** Account and team key pairs (wrapped in the browser) and the directory of public keys. */
export function registerKeyRoutes(app: TypedApp, deps: Deps): void {
  app.get('/api/account/keys', { schema: { ...schema, response: { 200: AccountKeysResponse } } }, (request) =>
    getAccountKeys(deps, actorOf(request)),
  );
  app.put(
    '/api/account/keys',
    { schema: { ...schema, body: AccountKeys, response: { 201: AccountKeys } } },
    async (request, reply) =>
      reply.status(201).send(await setAccountKeys(deps, actorOf(request), request.body, originOf(request))),
  );
  app.get(
    '/api/account/team-keys',
    { schema: { ...schema, response: { 200: MyTeamKeysResponse } } },
    (request) => getMyTeamKeys(deps, actorOf(request)),
  );
  app.get(
    '/api/admin/team-keys',
    { config: { access: 'admin' }, schema: { ...schema, response: { 200: AdminTeamKeysResponse } } },
    (request) => getTeamKeyStatus(deps, actorOf(request)),
  );
  app.put(
    '/api/teams/:id/keys',
    { schema: { ...schema, params: IdParams, body: CreateTeamKeysRequest, response: { 201: Ok } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await createTeamKeys(deps, actor, request.params.id, request.body, originOf(request));
      return reply.status(201).send(result);
    },
  );
  app.post(
    '/api/teams/:id/keys/wraps',
    { schema: { ...schema, params: IdParams, body: AddTeamKeyWrapsRequest, response: { 200: Ok } } },
    (request) => addTeamKeyWraps(deps, actorOf(request), request.params.id, request.body, originOf(request)),
  );
  app.get(
    '/api/directory/keys',
    { schema: { ...schema, querystring: DirectoryKeysQuery, response: { 200: DirectoryKeysResponse } } },
    (request) => getDirectoryKeys(deps, actorOf(request), request.query),
  );
}
