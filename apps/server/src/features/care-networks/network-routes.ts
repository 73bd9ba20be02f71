import {
  AddItemRequest,
  AddKeyWrapsRequest,
  CareKeyParams,
  CareNetworkParams,
  Item,
  NetworkKeys,
  NewNetworkKeyRequest,
  Ok,
} from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { originOf } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { careActorOf, careMemberRoute } from './member-access-routes.ts';
import { postNetworkItem, readNetworkItems } from './network-items.ts';
import { addKeyWraps, createNetworkKey, getNetworkKeys } from './network-keys.ts';

const tags = ['care-networks'];

/** The network key and the network conversation (members only). */
export function registerNetworkConversationRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/care-networks/:id/keys',
    { ...careMemberRoute(deps), schema: { tags, params: CareNetworkParams, response: { 200: NetworkKeys } } },
    (request) => getNetworkKeys(deps, careActorOf(request), request.params.id),
  );
  app.post(
    '/api/care-networks/:id/keys',
    {
      ...careMemberRoute(deps),
      schema: {
        tags,
        params: CareNetworkParams,
        body: NewNetworkKeyRequest,
        response: { 200: Type.Object({ keyId: Type.String(), epoch: Type.Integer() }) },
      },
    },
    (request) => createNetworkKey(deps, careActorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/care-networks/:id/keys/:keyId/wraps',
    {
      ...careMemberRoute(deps),
      schema: { tags, params: CareKeyParams, body: AddKeyWrapsRequest, response: { 200: Ok } },
    },
    (request) =>
      addKeyWraps(deps, careActorOf(request), request.params.id, {
        keyId: request.params.keyId,
        wraps: request.body.wraps,
      }),
  );
  app.get(
    '/api/care-networks/:id/items',
    {
      ...careMemberRoute(deps),
      schema: {
        tags,
        params: CareNetworkParams,
        response: { 200: Type.Object({ items: Type.Array(Item) }) },
      },
    },
    (request) => readNetworkItems(deps, careActorOf(request), request.params.id, originOf(request)),
  );
  app.post(
    '/api/care-networks/:id/items',
    {
      ...careMemberRoute(deps),
      schema: {
        tags,
        params: CareNetworkParams,
        body: AddItemRequest,
        response: { 201: Type.Object({ itemId: Type.String(), createdAt: Type.String() }) },
      },
    },
    async (request, reply) => {
      const stored = await postNetworkItem(
        deps,
        careActorOf(request),
        request.params.id,
        request.body,
        originOf(request),
      );
      return reply.status(201).send(stored);
    },
  );
}
