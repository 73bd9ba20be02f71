import {
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
  Ok,
  UploadResponse,
} from '@zegel/protocol/api';
import type { Deps } from '../../deps.ts';
import {
  binaryResponse,
  bodyBytes,
  fileContentResponse,
  sendBinary,
  sendFileContent,
} from '../../http/binary.ts';
import {
  clearGuestSessionCookie,
  GUEST_SESSION_COOKIE,
  guestCookies,
  setGuestDeviceCookie,
  setGuestSessionCookie,
} from '../../http/guest-cookies.ts';
import { rangeHeader } from '../../http/request-context.ts';
import { originOf } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { storeAttachment, withOctetStreamBodies } from '../files/index.ts';
import { endGuestSession, LINK_PROOF_HEADER } from '../guest-access/index.ts';
import {
  addGuestReply,
  getGuestAttachment,
  getGuestConversation,
  getGuestFile,
  requireGuestUploader,
} from './guest-read.ts';
import { getGuestLanding, reportNoCode, sendGuestCode, verifyGuest } from './guest-verify.ts';

/** The link proof the guest page sends before verification (one header, so never in a URL or log). */
function linkProofOf(request: { headers: Record<string, string | string[] | undefined> }) {
  const value = request.headers[LINK_PROOF_HEADER];
  return typeof value === 'string' ? value : undefined;
}

/** Public: the guest has no account; each route checks the guest's own state. */
const guest = { config: { access: 'public' as const } };
const schema = { tags: ['guest'] };

/** The guest page's API: landing, verification, reading, downloads, replies. */
export function registerGuestRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/guest/:recipientId',
    { ...guest, schema: { ...schema, params: GuestParams, response: { 200: GuestLanding } } },
    (request) =>
      getGuestLanding(
        deps,
        request.params.recipientId,
        linkProofOf(request),
        guestCookies(request),
        originOf(request),
      ),
  );
  app.post(
    '/api/guest/:recipientId/sms',
    { ...guest, schema: { ...schema, params: GuestParams, response: { 200: GuestSmsResponse } } },
    (request) => sendGuestCode(deps, request.params.recipientId, linkProofOf(request), originOf(request)),
  );
  app.post(
    '/api/guest/:recipientId/verify',
    {
      ...guest,
      schema: {
        ...schema,
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
        { ...request.body, linkProof: linkProofOf(request) },
        guestCookies(request),
        originOf(request),
      );
      setGuestSessionCookie(reply, deps, recipientId, result.session);
      if (result.device) setGuestDeviceCookie(reply, deps, recipientId, result.device);
      return result.response;
    },
  );
  app.post(
    '/api/guest/:recipientId/no-code',
    { ...guest, schema: { ...schema, params: GuestParams, response: { 200: Ok } } },
    (request) => reportNoCode(deps, request.params.recipientId, linkProofOf(request), originOf(request)),
  );
  app.post(
    '/api/guest/:recipientId/sign-out',
    { ...guest, schema: { ...schema, params: GuestParams, response: { 200: Ok } } },
    async (request, reply) => {
      await endGuestSession(deps, request.cookies[GUEST_SESSION_COOKIE]);
      clearGuestSessionCookie(reply, deps, request.params.recipientId);
      return { ok: true as const };
    },
  );
  registerGuestReadRoutes(app, deps);
}

function registerGuestReadRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/guest/:recipientId/conversation',
    { ...guest, schema: { ...schema, params: GuestParams, response: { 200: GuestConversation } } },
    (request) =>
      getGuestConversation(deps, request.params.recipientId, guestCookies(request), originOf(request)),
  );
  app.get(
    '/api/guest/:recipientId/attachments/:attachmentId',
    { ...guest, schema: { ...schema, params: GuestAttachmentParams, response: binaryResponse } },
    async (request, reply) => {
      const { recipientId, attachmentId } = request.params;
      const data = await getGuestAttachment(
        deps,
        recipientId,
        attachmentId,
        guestCookies(request),
        originOf(request),
      );
      return sendBinary(reply, data);
    },
  );
  app.get(
    '/api/guest/:recipientId/files/:fileId',
    {
      ...guest,
      schema: {
        ...schema,
        summary: 'A large file (verified guest session; ciphertext, streamed; Range supported)',
        params: GuestFileParams,
        response: fileContentResponse,
      },
    },
    async (request, reply) => {
      const { recipientId, fileId } = request.params;
      const cookies = guestCookies(request);
      const content = await getGuestFile(
        deps,
        recipientId,
        fileId,
        rangeHeader(request),
        cookies,
        originOf(request),
      );
      return sendFileContent(reply, content);
    },
  );
  app.post(
    '/api/guest/:recipientId/replies',
    {
      ...guest,
      schema: {
        ...schema,
        params: GuestParams,
        body: GuestReplyRequest,
        response: { 201: GuestReplyResponse },
      },
    },
    async (request, reply) => {
      const { recipientId } = request.params;
      const result = await addGuestReply(
        deps,
        recipientId,
        request.body,
        guestCookies(request),
        originOf(request),
      );
      return reply.status(201).send(result);
    },
  );
  withOctetStreamBodies(app, (scope) => {
    scope.put(
      '/api/guest/:recipientId/uploads/:id',
      { ...guest, schema: { ...schema, params: GuestUploadParams, response: { 201: UploadResponse } } },
      async (request, reply) => {
        const uploader = await requireGuestUploader(deps, request.params.recipientId, guestCookies(request));
        return reply
          .status(201)
          .send(await storeAttachment(deps, uploader, request.params.id, bodyBytes(request.body)));
      },
    );
  });
}
