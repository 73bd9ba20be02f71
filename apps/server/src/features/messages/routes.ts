import {
  MessageSettings,
  SendMessageRequest,
  SendMessageResponse,
  UpdateMessageSettingsRequest,
} from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/request-context.ts';
import { originOf, requireAdmin } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { sendMessage } from './send-message.ts';
import { changeMessageSettings, getMessageSettings } from './settings.ts';

/** Secure messages composed in the browser: sending, and the organisation's message defaults. */
export function registerMessageRoutes(app: TypedApp, deps: Deps): void {
  app.post(
    '/api/messages',
    { schema: { tags: ['messages'], body: SendMessageRequest, response: { 201: SendMessageResponse } } },
    async (request, reply) =>
      reply.status(201).send(await sendMessage(deps, actorOf(request), request.body, originOf(request))),
  );
  app.get(
    '/api/message-settings',
    { schema: { tags: ['messages'], response: { 200: MessageSettings } } },
    (request) => getMessageSettings(deps, actorOf(request).organisationId),
  );
  app.patch(
    '/api/admin/message-settings',
    {
      config: { access: 'admin' },
      schema: { tags: ['admin'], body: UpdateMessageSettingsRequest, response: { 200: MessageSettings } },
    },
    (request) => changeMessageSettings(deps, requireAdmin(request), request.body, originOf(request)),
  );
}
