import {
  AddCareMemberResponse,
  CareDecisionRequest,
  CareMemberParams,
  CareNetwork,
  CareNetworkList,
  CareNetworkParams,
  CareRequestParams,
  CreateCareNetworkRequest,
  NewCareMember,
  Ok,
} from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { originOf, requireAdmin, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { addMember } from './add-member.ts';
import { createNetwork } from './create-network.ts';
import { decideConsentRequest } from './decide-request.ts';
import { registerFolderRoutes } from './folder-routes.ts';
import { careActorOf, careMemberRoute } from './member-access-routes.ts';
import { registerNetworkConversationRoutes } from './network-routes.ts';
import { registerPersonalRoutes } from './personal-routes.ts';
import { listNetworks, readNetwork } from './read-network.ts';
import { removeMember } from './remove-member.ts';
import { careSettings, changeCareSettings } from './settings.ts';

const tags = ['care-networks'];

const CareSettingsBody = Type.Object(
  {
    openDays: Type.Integer({ minimum: 0, maximum: 60 }),
    requestDays: Type.Integer({ minimum: 1, maximum: 90 }),
  },
  { additionalProperties: false },
);

/** Care networks for staff members of any organisation (docs/care-networks.md). */
export function registerCareNetworkRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/care-networks',
    { ...careMemberRoute(deps), schema: { tags, response: { 200: CareNetworkList } } },
    (request) => listNetworks(deps, careActorOf(request)),
  );
  app.post(
    '/api/care-networks',
    {
      config: { access: 'signed-in' },
      schema: { tags, body: CreateCareNetworkRequest, response: { 201: Type.Object({ id: Type.String() }) } },
    },
    async (request, reply) => {
      const created = await createNetwork(
        deps,
        requireSession(request).actor,
        request.body,
        originOf(request),
      );
      return reply.status(201).send(created);
    },
  );
  app.get(
    '/api/care-networks/:id',
    { ...careMemberRoute(deps), schema: { tags, params: CareNetworkParams, response: { 200: CareNetwork } } },
    (request) => readNetwork(deps, careActorOf(request), request.params.id, originOf(request)),
  );
  registerMemberRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerPersonalRoutes(app, deps);
  registerNetworkConversationRoutes(app, deps);
  registerFolderRoutes(app, deps);
}

function registerMemberRoutes(app: TypedApp, deps: Deps): void {
  app.post(
    '/api/care-networks/:id/members',
    {
      ...careMemberRoute(deps),
      schema: {
        tags,
        params: CareNetworkParams,
        body: NewCareMember,
        response: { 200: AddCareMemberResponse },
      },
    },
    (request) => addMember(deps, careActorOf(request), request.params.id, request.body, originOf(request)),
  );
  app.delete(
    '/api/care-networks/:id/members/:memberId',
    { ...careMemberRoute(deps), schema: { tags, params: CareMemberParams, response: { 200: Ok } } },
    (request) =>
      removeMember(deps, careActorOf(request), request.params.id, request.params.memberId, originOf(request)),
  );
  app.post(
    '/api/care-networks/:id/requests/:requestId/decision',
    {
      ...careMemberRoute(deps),
      schema: {
        tags,
        params: CareRequestParams,
        body: CareDecisionRequest,
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('consented'), Type.Literal('declined')]),
            memberId: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    (request) =>
      decideConsentRequest(
        deps,
        careActorOf(request),
        request.params.id,
        request.params.requestId,
        request.body,
        originOf(request),
      ),
  );
}

/** The host organisation's open week and consent-request lifetime (administrators). */
function registerSettingsRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/admin/care-network-settings',
    { config: { access: 'admin' }, schema: { tags, response: { 200: CareSettingsBody } } },
    (request) => careSettings(deps, requireAdmin(request).organisationId),
  );
  app.put(
    '/api/admin/care-network-settings',
    {
      config: { access: 'admin' },
      schema: { tags, body: CareSettingsBody, response: { 200: CareSettingsBody } },
    },
    (request) => changeCareSettings(deps, requireAdmin(request), request.body, originOf(request)),
  );
}
