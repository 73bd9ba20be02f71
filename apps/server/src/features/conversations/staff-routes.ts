import {
  AddItemRequest,
  AttachmentParams,
  ConversationDetail,
  ConversationFileParams,
  ConversationListQuery,
  ConversationListResponse,
  ConversationParams,
  DeliveryReport,
  GuestReplyResponse,
  Ok,
  ParticipantParams,
  RevokeRequest,
  UpdateConversationRequest,
} from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import { binaryResponse, fileContentResponse, sendBinary, sendFileContent } from '../../http/binary.ts';
import { actorOf, rangeHeader } from '../../http/request-context.ts';
import { originOf } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { getStaffAttachment, getStaffFile } from './downloads.ts';
import { changeExpiry } from './expiry.ts';
import { getConversation, listConversations } from './read.ts';
import { getDeliveryReport } from './report.ts';
import { renderDeliveryReportPdf } from './report-pdf.ts';
import { revokeRecipients } from './revoke.ts';
import { addStaffItem } from './staff-items.ts';
import { unlockRecipient } from './unlock.ts';

const schema = { tags: ['messages'] };

/** Conversations as staff see them: mailboxes, reading, replying, receipts, revoke, expiry. */
export function registerConversationRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/conversations',
    {
      schema: { ...schema, querystring: ConversationListQuery, response: { 200: ConversationListResponse } },
    },
    (request) => listConversations(deps, actorOf(request), request.query, originOf(request)),
  );
  app.get(
    '/api/conversations/:id',
    { schema: { ...schema, params: ConversationParams, response: { 200: ConversationDetail } } },
    (request) => getConversation(deps, actorOf(request), request.params.id, originOf(request)),
  );
  app.patch(
    '/api/conversations/:id',
    {
      schema: {
        ...schema,
        params: ConversationParams,
        body: UpdateConversationRequest,
        response: { 200: Ok },
      },
    },
    (request) =>
      changeExpiry(deps, actorOf(request), request.params.id, request.body.expiresAt, originOf(request)),
  );
  app.post(
    '/api/conversations/:id/items',
    {
      schema: {
        ...schema,
        params: ConversationParams,
        body: AddItemRequest,
        response: { 201: GuestReplyResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const result = await addStaffItem(deps, actor, request.params.id, request.body, originOf(request));
      return reply.status(201).send(result);
    },
  );
  app.post(
    '/api/conversations/:id/participants/:participantId/unlock',
    { schema: { ...schema, params: ParticipantParams, response: { 200: Ok } } },
    (request) =>
      unlockRecipient(
        deps,
        actorOf(request),
        request.params.id,
        request.params.participantId,
        originOf(request),
      ),
  );
  app.post(
    '/api/conversations/:id/revoke',
    { schema: { ...schema, params: ConversationParams, body: RevokeRequest, response: { 200: Ok } } },
    (request) =>
      revokeRecipients(
        deps,
        actorOf(request),
        request.params.id,
        request.body.participantIds,
        originOf(request),
      ),
  );
  registerReportRoutes(app, deps);
  registerDownloadRoutes(app, deps);
}

function registerReportRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/conversations/:id/report',
    { schema: { ...schema, params: ConversationParams, response: { 200: DeliveryReport } } },
    (request) => getDeliveryReport(deps, actorOf(request), request.params.id, originOf(request)),
  );
  app.get(
    '/api/conversations/:id/report.pdf',
    { schema: { ...schema, params: ConversationParams, response: binaryResponse } },
    async (request, reply) => {
      const report = await getDeliveryReport(deps, actorOf(request), request.params.id, originOf(request));
      const pdf = await renderDeliveryReportPdf(report);
      return sendBinary(reply, pdf, 'application/pdf', `bewijs-van-aflevering-${request.params.id}.pdf`);
    },
  );
}

function registerDownloadRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/conversations/:id/attachments/:attachmentId',
    { schema: { ...schema, params: AttachmentParams, response: binaryResponse } },
    async (request, reply) => {
      const { id, attachmentId } = request.params;
      return sendBinary(
        reply,
        await getStaffAttachment(deps, actorOf(request), id, attachmentId, originOf(request)),
      );
    },
  );
  app.get(
    '/api/conversations/:conversationId/files/:fileId',
    {
      schema: {
        ...schema,
        summary: 'A large file of the conversation (ciphertext, streamed; Range supported)',
        params: ConversationFileParams,
        response: fileContentResponse,
      },
    },
    async (request, reply) => {
      const { conversationId, fileId } = request.params;
      const actor = actorOf(request);
      const content = await getStaffFile(
        deps,
        actor,
        conversationId,
        fileId,
        rangeHeader(request),
        originOf(request),
      );
      return sendFileContent(reply, content);
    },
  );
}
