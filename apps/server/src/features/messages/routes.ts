import {
  AddItemRequest,
  AttachmentParams,
  ConversationDetail,
  ConversationFileParams,
  ConversationListQuery,
  ConversationListResponse,
  ConversationParams,
  DeliveryReport,
  GuestAttachmentParams,
  GuestConversation,
  GuestFileParams,
  GuestLanding,
  GuestParams,
  GuestReplyRequest,
  GuestReplyResponse,
  GuestSmsResponse,
  GuestUploadParams,
  GuestVerifyRequest,
  GuestVerifyResponse,
  IdParams,
  MessageSettings,
  Ok,
  RecipientDirectoryImportRequest,
  RecipientDirectoryImportResponse,
  RecipientDirectoryQuery,
  RecipientDirectoryResponse,
  RevokeRequest,
  SendMessageRequest,
  SendMessageResponse,
  UpdateConversationRequest,
  UpdateMessageSettingsRequest,
  UploadResponse,
} from '@zegel/protocol/api';
import { MessageLimits } from '@zegel/protocol/limits';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { cookieOptions, originOf, requireAdmin, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { fileContentResponse, sendFileContent } from '../files/routes.ts';
import {
  addStaffItem,
  changeExpiry,
  getConversation,
  getDeliveryReport,
  getStaffAttachment,
  getStaffFile,
  listConversations,
  revokeRecipients,
} from './conversations.ts';
import {
  addGuestReply,
  endGuestSession,
  type GuestCookies,
  getGuestAttachment,
  getGuestConversation,
  getGuestFile,
  getGuestLanding,
  reportNoCode,
  requireGuestUploader,
  sendGuestSmsCode,
  verifyGuest,
} from './guest.ts';
import { renderDeliveryReportPdf } from './report-pdf.ts';
import { sendMessage } from './send-message.ts';
import {
  changeMessageSettings,
  getMessageSettings,
  importRecipientDirectory,
  lookupRecipient,
} from './settings.ts';
import { storeUpload } from './uploads.ts';

export const GUEST_SESSION_COOKIE = 'zegel_guest';
export const GUEST_DEVICE_COOKIE = 'zegel_guest_device';

const tags = (tag: string) => ({ tags: [tag] });
const actorOf = (request: FastifyRequest) => requireSession(request).actor;

/** Guest cookies live under the guest's own API path: one per recipient, sent nowhere else. */
export function guestCookiePath(recipientId: string) {
  return `/api/guest/${recipientId}`;
}

export function guestCookies(request: FastifyRequest): GuestCookies {
  return { session: request.cookies[GUEST_SESSION_COOKIE], device: request.cookies[GUEST_DEVICE_COOKIE] };
}

function rangeHeader(request: FastifyRequest): string | undefined {
  const value = request.headers.range;
  return typeof value === 'string' ? value : undefined;
}

function sendBinary(
  reply: FastifyReply,
  data: Uint8Array,
  type = 'application/octet-stream',
  fileName?: string,
) {
  return reply
    .header('content-type', type)
    .header('cache-control', 'no-store')
    .header('content-disposition', fileName ? `attachment; filename="${fileName}"` : 'attachment')
    .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

const binaryResponse = { 200: { type: 'string', format: 'binary' } } as const;

/** Secure messages: keys, directory, send, conversations, receipts, revoke, and the guest page's API. */
export function registerMessageRoutes(app: TypedApp, deps: Deps): void {
  // Settings and the recipient directory

  app.get(
    '/api/message-settings',
    { schema: { ...tags('messages'), response: { 200: MessageSettings } } },
    (request) => getMessageSettings(deps, actorOf(request).organisationId),
  );
  app.patch(
    '/api/admin/message-settings',
    {
      config: { access: 'admin' },
      schema: { ...tags('admin'), body: UpdateMessageSettingsRequest, response: { 200: MessageSettings } },
    },
    (request) => changeMessageSettings(deps, requireAdmin(request), request.body, originOf(request)),
  );
  app.get(
    '/api/recipient-directory',
    {
      schema: {
        ...tags('messages'),
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
        ...tags('admin'),
        body: RecipientDirectoryImportRequest,
        response: { 200: RecipientDirectoryImportResponse },
      },
    },
    (request) => importRecipientDirectory(deps, requireAdmin(request), request.body.csv, originOf(request)),
  );

  // Send and read

  app.post(
    '/api/messages',
    { schema: { ...tags('messages'), body: SendMessageRequest, response: { 201: SendMessageResponse } } },
    async (request, reply) => {
      const result = await sendMessage(deps, actorOf(request), request.body, originOf(request));
      return reply.status(201).send(result);
    },
  );
  app.get(
    '/api/conversations',
    {
      schema: {
        ...tags('messages'),
        querystring: ConversationListQuery,
        response: { 200: ConversationListResponse },
      },
    },
    (request) => listConversations(deps, actorOf(request), request.query, originOf(request)),
  );
  app.get(
    '/api/conversations/:id',
    { schema: { ...tags('messages'), params: ConversationParams, response: { 200: ConversationDetail } } },
    (request) => getConversation(deps, actorOf(request), request.params.id, originOf(request)),
  );
  app.patch(
    '/api/conversations/:id',
    {
      schema: {
        ...tags('messages'),
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
        ...tags('messages'),
        params: ConversationParams,
        body: AddItemRequest,
        response: { 201: GuestReplyResponse },
      },
    },
    async (request, reply) => {
      const result = await addStaffItem(
        deps,
        actorOf(request),
        request.params.id,
        request.body,
        originOf(request),
      );
      return reply.status(201).send(result);
    },
  );
  app.post(
    '/api/conversations/:id/revoke',
    {
      schema: { ...tags('messages'), params: ConversationParams, body: RevokeRequest, response: { 200: Ok } },
    },
    (request) =>
      revokeRecipients(
        deps,
        actorOf(request),
        request.params.id,
        request.body.participantIds,
        originOf(request),
      ),
  );
  app.get(
    '/api/conversations/:id/report',
    { schema: { ...tags('messages'), params: ConversationParams, response: { 200: DeliveryReport } } },
    (request) => getDeliveryReport(deps, actorOf(request), request.params.id, originOf(request)),
  );
  app.get(
    '/api/conversations/:id/report.pdf',
    { schema: { ...tags('messages'), params: ConversationParams, response: binaryResponse } },
    async (request, reply) => {
      const report = await getDeliveryReport(deps, actorOf(request), request.params.id, originOf(request));
      const pdf = await renderDeliveryReportPdf(report);
      return sendBinary(reply, pdf, 'application/pdf', `bewijs-van-aflevering-${request.params.id}.pdf`);
    },
  );
  app.get(
    '/api/conversations/:id/attachments/:attachmentId',
    { schema: { ...tags('messages'), params: AttachmentParams, response: binaryResponse } },
    async (request, reply) =>
      sendBinary(
        reply,
        await getStaffAttachment(
          deps,
          actorOf(request),
          request.params.id,
          request.params.attachmentId,
          originOf(request),
        ),
      ),
  );
  app.get(
    '/api/conversations/:conversationId/files/:fileId',
    {
      schema: {
        ...tags('messages'),
        summary: 'A large file of the conversation (ciphertext, streamed; Range supported)',
        params: ConversationFileParams,
        response: fileContentResponse,
      },
    },
    async (request, reply) =>
      sendFileContent(
        reply,
        await getStaffFile(
          deps,
          actorOf(request),
          request.params.conversationId,
          request.params.fileId,
          rangeHeader(request),
          originOf(request),
        ),
      ),
  );

  // Guest page (public: the guest has no account; each route checks the guest's own state)

  app.get(
    '/api/guest/:recipientId',
    {
      config: { access: 'public' },
      schema: { ...tags('guest'), params: GuestParams, response: { 200: GuestLanding } },
    },
    (request) => getGuestLanding(deps, request.params.recipientId, guestCookies(request), originOf(request)),
  );
  app.post(
    '/api/guest/:recipientId/sms',
    {
      config: { access: 'public' },
      schema: { ...tags('guest'), params: GuestParams, response: { 200: GuestSmsResponse } },
    },
    (request) => sendGuestSmsCode(deps, request.params.recipientId, originOf(request)),
  );
  app.post(
    '/api/guest/:recipientId/verify',
    {
      config: { access: 'public' },
      schema: {
        ...tags('guest'),
        params: GuestParams,
        body: GuestVerifyRequest,
        response: { 200: GuestVerifyResponse },
      },
    },
    async (request, reply) => {
      const { recipientId } = request.params;
      const result = await verifyGuest(
        deps,
        recipientId,
        request.body,
        guestCookies(request),
        originOf(request),
      );
      const path = guestCookiePath(recipientId);
      void reply.setCookie(GUEST_SESSION_COOKIE, result.session.token, { ...cookieOptions(deps), path });
      if (result.device)
        void reply.setCookie(GUEST_DEVICE_COOKIE, result.device.token, {
          ...cookieOptions(deps, result.device.expiresAt),
          path,
        });
      return result.response;
    },
  );
  app.post(
    '/api/guest/:recipientId/no-code',
    {
      config: { access: 'public' },
      schema: { ...tags('guest'), params: GuestParams, response: { 200: Ok } },
    },
    (request) => reportNoCode(deps, request.params.recipientId, originOf(request)),
  );
  app.post(
    '/api/guest/:recipientId/sign-out',
    {
      config: { access: 'public' },
      schema: { ...tags('guest'), params: GuestParams, response: { 200: Ok } },
    },
    async (request, reply) => {
      await endGuestSession(deps, request.cookies[GUEST_SESSION_COOKIE]);
      void reply.clearCookie(GUEST_SESSION_COOKIE, {
        ...cookieOptions(deps),
        path: guestCookiePath(request.params.recipientId),
      });
      return { ok: true as const };
    },
  );
  app.get(
    '/api/guest/:recipientId/conversation',
    {
      config: { access: 'public' },
      schema: { ...tags('guest'), params: GuestParams, response: { 200: GuestConversation } },
    },
    (request) =>
      getGuestConversation(deps, request.params.recipientId, guestCookies(request), originOf(request)),
  );
  app.get(
    '/api/guest/:recipientId/attachments/:attachmentId',
    {
      config: { access: 'public' },
      schema: { ...tags('guest'), params: GuestAttachmentParams, response: binaryResponse },
    },
    async (request, reply) =>
      sendBinary(
        reply,
        await getGuestAttachment(
          deps,
          request.params.recipientId,
          request.params.attachmentId,
          guestCookies(request),
          originOf(request),
        ),
      ),
  );
  app.get(
    '/api/guest/:recipientId/files/:fileId',
    {
      config: { access: 'public' },
      schema: {
        ...tags('guest'),
        summary: 'A large file (verified guest session; ciphertext, streamed; Range supported)',
        params: GuestFileParams,
        response: fileContentResponse,
      },
    },
    async (request, reply) =>
      sendFileContent(
        reply,
        await getGuestFile(
          deps,
          request.params.recipientId,
          request.params.fileId,
          rangeHeader(request),
          guestCookies(request),
          originOf(request),
        ),
      ),
  );
  app.post(
    '/api/guest/:recipientId/replies',
    {
      config: { access: 'public' },
      schema: {
        ...tags('guest'),
        params: GuestParams,
        body: GuestReplyRequest,
        response: { 201: GuestReplyResponse },
      },
    },
    async (request, reply) => {
      const result = await addGuestReply(
        deps,
        request.params.recipientId,
        request.body,
        guestCookies(request),
        originOf(request),
      );
      return reply.status(201).send(result);
    },
  );

  // Uploads: raw ciphertext bodies, in their own scope so only these routes accept octet-streams.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MessageLimits.maxAttachmentCiphertextBytes },
      (_request, body, done) => done(null, body),
    );
    const typed = scope as unknown as TypedApp;
    typed.put(
      '/api/uploads/:id',
      { schema: { ...tags('messages'), params: IdParams, response: { 201: UploadResponse } } },
      async (request, reply) => {
        const actor = actorOf(request);
        const body = toBytes(request.body);
        const result = await storeUpload(
          deps,
          { organisationId: actor.organisationId, userId: actor.userId },
          request.params.id,
          body,
        );
        return reply.status(201).send(result);
      },
    );
    typed.put(
      '/api/guest/:recipientId/uploads/:id',
      {
        config: { access: 'public' },
        schema: { ...tags('guest'), params: GuestUploadParams, response: { 201: UploadResponse } },
      },
      async (request, reply) => {
        const uploader = await requireGuestUploader(deps, request.params.recipientId, guestCookies(request));
        const result = await storeUpload(deps, uploader, request.params.id, toBytes(request.body));
        return reply.status(201).send(result);
      },
    );
  });
}

/** An upload body: a Buffer from the octet-stream parser; anything else (JSON) is not an upload. */
function toBytes(body: unknown): Uint8Array {
  return body instanceof Uint8Array ? body : new Uint8Array(0);
}
