import {
  RecipientDirectoryImportRequest,
  RecipientDirectoryImportResponse,
  RecipientDirectoryQuery,
  RecipientDirectoryResponse,
} from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/request-context.ts';
import { originOf, requireAdmin } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { importRecipientDirectory, lookupRecipient } from './recipient-directory.ts';

/** The recipient directory: the composer's look-up and the admin's CSV import. */
export function registerGuestAccessRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/recipient-directory',
    {
      schema: {
        tags: ['messages'],
        querystring: RecipientDirectoryQuery,
        response: { 200: RecipientDirectoryResponse },
      },
    },
    (request) => lookupRecipient(deps, actorOf(request), request.query.address, originOf(request)),
  );
  app.post(
    '/api/admin/recipient-directory/import',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        body: RecipientDirectoryImportRequest,
        response: { 200: RecipientDirectoryImportResponse },
      },
    },
    (request) => importRecipientDirectory(deps, requireAdmin(request), request.body.csv, originOf(request)),
  );
}
