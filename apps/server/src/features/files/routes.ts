import { IdParams } from '@zegel/protocol/api';
import { ErrorCode } from '@zegel/protocol/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { fileContentResponse, sendFileContent } from '../../http/binary.ts';
import { originOf, requireSession } from '../../http/session.ts';
import type { TypedApp } from '../../http/typed-app.ts';
import { downloadOwnFile } from './download.ts';
import { appendToUpload, createUpload, requireOwnUpload, terminateUpload } from './uploads.ts';

/** Where uploads live; the `Location` of a new upload is `${UPLOADS_PATH}/<id>`. */
export const UPLOADS_PATH = '/api/files/uploads';
const TUS_VERSION = '1.0.0';
const OFFSET_CONTENT_TYPE = 'application/offset+octet-stream';

const tags = { tags: ['files'] };

const actorOf = (request: FastifyRequest) => requireSession(request).actor;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** A tus offset or length: digits only, a safe integer. */
function nonNegativeInteger(value: string | undefined, name: string): number {
  if (value === undefined || !/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new AppError(ErrorCode.validationFailed, `${name} must be a non-negative integer.`);
  return Number(value);
}

/** `Upload-Metadata: key base64,key base64` → a map; values are base64 (standard alphabet). */
export function parseMetadata(raw: string | undefined): Map<string, string> {
  const result = new Map<string, string>();
  if (!raw) return result;
  for (const pair of raw.split(',')) {
    const [key, value = '', extra] = pair.trim().split(' ');
    if (!key || extra !== undefined || !/^[A-Za-z0-9+/=]*$/.test(value))
      throw new AppError(ErrorCode.validationFailed, 'Upload-Metadata is malformed.');
    result.set(key, Buffer.from(value, 'base64').toString('utf8'));
  }
  return result;
}

function requireTusVersion(request: FastifyRequest, reply: FastifyReply): void {
  if (header(request, 'tus-resumable') !== TUS_VERSION) {
    void reply.header('tus-version', TUS_VERSION);
    throw new AppError(ErrorCode.tusVersionUnsupported, `Send Tus-Resumable: ${TUS_VERSION}.`);
  }
}

/**
 * Large files: a tus 1.0 server (core, creation, termination) for resumable uploads of
 * encrypted files, and streamed downloads with Range. Protocol and limits: docs/files.md.
 */
export function registerFileRoutes(app: TypedApp, deps: Deps): void {
  void app.register(async (scope) => {
    // PATCH bodies are not parsed: the handler streams the raw request into the blob store.
    // Every other type is let through too, so the handler answers 415 in tus terms.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scope.addHook('onSend', async (request, reply) => {
      void reply.header('tus-resumable', TUS_VERSION);
      // A refused PATCH leaves its body unread: close the connection rather than read gigabytes.
      if (!request.raw.complete) void reply.header('connection', 'close');
    });
    const typed = scope as unknown as TypedApp;
    registerUploadCreation(typed, deps);
    registerUploadTransfer(typed, deps);
  });
  registerFileDownload(app, deps);
}

/** tus capabilities (OPTIONS) and creation (POST). */
function registerUploadCreation(typed: TypedApp, deps: Deps): void {
  typed.options(
    UPLOADS_PATH,
    { config: { access: 'public' }, schema: { ...tags, summary: 'tus capabilities' } },
    async (_request, reply) =>
      reply
        .status(204)
        .header('tus-version', TUS_VERSION)
        .header('tus-extension', 'creation,termination')
        .header('tus-max-size', String(deps.config.maxFileBytes))
        .send(),
  );

  typed.post(
    UPLOADS_PATH,
    { schema: { ...tags, summary: 'Create an upload (tus creation)' } },
    async (request, reply) => {
      requireTusVersion(request, reply);
      if (header(request, 'upload-defer-length') !== undefined)
        throw new AppError(ErrorCode.validationFailed, 'Declare Upload-Length up front.');
      const length = nonNegativeInteger(header(request, 'upload-length'), 'Upload-Length');
      const metadata = parseMetadata(header(request, 'upload-metadata'));
      const id = metadata.get('id');
      if (!id)
        throw new AppError(ErrorCode.validationFailed, 'Upload-Metadata must carry the file id ("id").');
      const file = await createUpload(deps, actorOf(request), {
        id,
        length,
        messageId: metadata.get('messageId'),
      });
      return reply
        .status(201)
        .header('location', `${deps.config.publicUrl}${UPLOADS_PATH}/${file.id}`)
        .header('upload-offset', '0')
        .send();
    },
  );
}

/** tus offset (HEAD), append (PATCH) and termination (DELETE). */
function registerUploadTransfer(typed: TypedApp, deps: Deps): void {
  typed.head(
    `${UPLOADS_PATH}/:id`,
    { schema: { ...tags, summary: 'Offset of an upload (tus)', params: IdParams } },
    async (request, reply) => {
      requireTusVersion(request, reply);
      const file = await requireOwnUpload(deps, actorOf(request), request.params.id);
      return reply
        .status(200)
        .header('upload-offset', String(file.upload_offset))
        .header('upload-length', String(file.length))
        .header('cache-control', 'no-store')
        .send();
    },
  );

  typed.patch(
    `${UPLOADS_PATH}/:id`,
    { schema: { ...tags, summary: 'Append bytes at Upload-Offset (tus)', params: IdParams } },
    async (request, reply) => {
      requireTusVersion(request, reply);
      const contentType = header(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
      if (contentType !== OFFSET_CONTENT_TYPE)
        throw new AppError(ErrorCode.unsupportedMediaType, `Send Content-Type: ${OFFSET_CONTENT_TYPE}.`);
      const offset = nonNegativeInteger(header(request, 'upload-offset'), 'Upload-Offset');
      const file = await appendToUpload(deps, actorOf(request), request.params.id, offset, request.raw);
      return reply.status(204).header('upload-offset', String(file.upload_offset)).send();
    },
  );

  typed.delete(
    `${UPLOADS_PATH}/:id`,
    { schema: { ...tags, summary: 'Abandon an upload (tus termination)', params: IdParams } },
    async (request, reply) => {
      requireTusVersion(request, reply);
      await terminateUpload(deps, actorOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}

/** The owner's download of a complete file. */
function registerFileDownload(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/files/:id',
    {
      schema: {
        ...tags,
        summary: 'Download a complete file (ciphertext; Range supported)',
        params: IdParams,
        response: fileContentResponse,
      },
    },
    async (request, reply) =>
      sendFileContent(
        reply,
        await downloadOwnFile(
          deps,
          actorOf(request),
          request.params.id,
          header(request, 'range'),
          originOf(request),
        ),
      ),
  );
}
