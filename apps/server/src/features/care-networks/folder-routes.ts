import {
  AddItemRequest,
  CareAccessLog,
  CareFolderList,
  CareFolderParams,
  CareNetworkParams,
  CreateCareFolderRequest,
  Item,
  Timestamp,
  Uuid,
} from '@zegel/protocol/api';
import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import { originOf } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { readAccessView } from './access-view.ts';
import { createFolder, listFolders, openFolder, uploadToFolder } from './folders.ts';
import { careActorOf, careMemberRoute } from './member-access-routes.ts';

const tags = ['care-networks'];

/** Folders with reader and uploader rights, and the client's access view (members only). */
export function registerFolderRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/care-networks/:id/folders',
    {
      ...careMemberRoute(deps),
      schema: { tags, params: CareNetworkParams, response: { 200: CareFolderList } },
    },
    (request) => listFolders(deps, careActorOf(request), request.params.id),
  );
  app.post(
    '/api/care-networks/:id/folders',
    {
      ...careMemberRoute(deps),
      schema: {
        tags,
        params: CareNetworkParams,
        body: CreateCareFolderRequest,
        response: { 201: Type.Object({ id: Uuid }) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createFolder(deps, careActorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/api/care-networks/:id/folders/:folderId/items',
    {
      ...careMemberRoute(deps),
      schema: { tags, params: CareFolderParams, response: { 200: Type.Object({ items: Type.Array(Item) }) } },
    },
    (request) =>
      openFolder(deps, careActorOf(request), request.params.id, request.params.folderId, originOf(request)),
  );
  app.post(
    '/api/care-networks/:id/folders/:folderId/items',
    {
      ...careMemberRoute(deps),
      schema: {
        tags,
        params: CareFolderParams,
        body: AddItemRequest,
        response: { 201: Type.Object({ itemId: Type.String(), createdAt: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { id, folderId } = request.params;
      const stored = await uploadToFolder(
        deps,
        careActorOf(request),
        id,
        folderId,
        request.body,
        originOf(request),
      );
      return reply.status(201).send(stored);
    },
  );
  app.get(
    '/api/care-networks/:id/access-log',
    {
      ...careMemberRoute(deps),
      schema: {
        tags,
        params: CareNetworkParams,
        querystring: Type.Object(
          { memberId: Type.Optional(Uuid), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) },
          { additionalProperties: false },
        ),
        response: { 200: CareAccessLog },
      },
    },
    (request) =>
      readAccessView(deps, careActorOf(request), request.params.id, request.query, originOf(request)),
  );
}
