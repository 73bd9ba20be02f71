import { IdParams, UploadResponse } from '@zegel/protocol/api';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Deps } from '../../deps.ts';
import { bodyBytes } from '../../http/binary.ts';
import { actorOf } from '../../http/request-context.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { storeAttachment } from './attachments.ts';

/**
 * A raw-ciphertext body (an attachment upload) for the routes registered in `register`, in a
 * scope of their own so that only these routes accept octet-streams.
 */
export function withOctetStreamBodies(app: TypedApp, register: (scope: TypedApp) => void): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MessageLimits.maxAttachmentCiphertextBytes },
      (_request, body, done) => done(null, body),
    );
    register(scope as unknown as TypedApp);
  });
}

/** A staff member's attachment upload, before the item it belongs to is sent. */
export function registerAttachmentRoutes(app: TypedApp, deps: Deps): void {
  withOctetStreamBodies(app, (scope) => {
    scope.put(
      '/api/uploads/:id',
      { schema: { tags: ['messages'], params: IdParams, response: { 201: UploadResponse } } },
      async (request, reply) => {
        const actor = actorOf(request);
        const uploader = { organisationId: actor.organisationId, userId: actor.userId };
        const result = await storeAttachment(deps, uploader, request.params.id, bodyBytes(request.body));
        return reply.status(201).send(result);
      },
    );
  });
}
