import { MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN } from '@zegel/protocol/api';
import { type ErrorBody, ErrorCode } from '@zegel/protocol/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import { SmsSendError } from '../adapters/sms.ts';
import { AppError } from '../errors.ts';

/** HTTP status per error code: the only place where domain errors meet HTTP. */
const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  method_not_allowed: 405,
  unauthenticated: 401,
  forbidden: 403,
  csrf_check_failed: 403,
  rate_limited: 429,
  conflict: 409,
  invalid_credentials: 401,
  account_locked: 429,
  sign_in_delayed: 429,
  proof_of_work_required: 429,
  second_factor_required: 401,
  second_factor_invalid: 401,
  enrolment_required: 403,
  invitation_invalid: 404,
  invitation_used: 410,
  invitation_expired: 410,
  reset_token_invalid: 404,
  weak_password: 400,
  user_deactivated: 403,
  last_admin: 409,
  recipients_incomplete: 422,
  message_revoked: 410,
  message_expired: 410,
  message_locked: 423,
  link_proof_invalid: 403,
  verification_failed: 401,
  guest_session_required: 401,
  keys_missing: 409,
  file_too_large: 413,
  message_files_too_large: 413,
  quota_exceeded: 413,
  upload_offset_mismatch: 409,
  upload_locked: 423,
  upload_incomplete: 409,
  tus_version_unsupported: 412,
  range_not_satisfiable: 416,
  contact_closed: 403,
  address_not_found: 422,
  meldpunt_not_found: 422,
  location_service_unavailable: 503,
  care_already_member: 409,
  care_request_decided: 409,
  care_request_expired: 410,
  care_last_client: 409,
  internal_error: 500,
  service_unavailable: 503,
};

/** PostgreSQL's "cannot connect now" (class 08, admin shutdown 57P01-03) and socket errors. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123])$/;
const UNAVAILABLE_MESSAGES = ['Connection terminated', 'timeout exceeded when trying to connect'];
/** Seconds a client is asked to wait after a 503. */
const RETRY_AFTER_SECONDS = 30;

/**
 * An outage of something Zegel depends on (the database, the SMS provider), not a bug: the
 * client gets 503 `service_unavailable` with Retry-After, so it and the operator know to retry.
 */
export function isDependencyOutage(error: unknown): boolean {
  if (error instanceof SmsSendError) return true;
  if (!(error instanceof Error)) return false;
  // fetch() reports an unreachable host as TypeError('fetch failed') with the socket error as cause.
  for (const code of [
    (error as { code?: unknown }).code,
    (error.cause as { code?: unknown } | undefined)?.code,
  ])
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)))
      return true;
  return UNAVAILABLE_MESSAGES.some((m) => error.message.startsWith(m));
}

export function errorBody(code: ErrorCode, message: string, requestId: string, details?: unknown): ErrorBody {
  return { error: { code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

/** The text rule's patterns mean nothing to people; say what they refuse instead. */
const patternExplanations = [
  [`must match pattern "${SINGLE_LINE_PATTERN}"`, 'must be one line of text without control characters'],
  [
    `must match pattern "${MULTI_LINE_PATTERN}"`,
    'must be text without control characters (tabs and line breaks are fine)',
  ],
] as const;

function explainPatterns(message: string): string {
  return patternExplanations.reduce((text, [pattern, words]) => text.replaceAll(pattern, words), message);
}

/** Fastify's own errors (parsing, limits, validation) mapped to our codes. */
function fromFastifyError(
  error: FastifyError,
): { code: ErrorCode; message: string; details?: unknown } | undefined {
  if (error.validation) {
    return {
      code: ErrorCode.validationFailed,
      message: `The request is not valid: ${explainPatterns(error.message)}`,
      details: error.validation.map((v) => ({
        path: v.instancePath || '/',
        message: explainPatterns(v.message ?? 'is not valid'),
      })),
    };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: ErrorCode.malformedJson, message: 'The request body is not valid JSON.' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: ErrorCode.payloadTooLarge, message: 'The request body is too large.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: ErrorCode.unsupportedMediaType, message: 'Send JSON (Content-Type: application/json).' };
  }
  if (error instanceof SyntaxError)
    return { code: ErrorCode.malformedJson, message: 'The request body is not valid JSON.' };
  if (error.statusCode === 429)
    return { code: ErrorCode.rateLimited, message: 'Too many requests; try again later.' };
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      const status = statusByCode[error.code];
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      return reply.status(status).send(errorBody(error.code, error.message, request.id, error.details));
    }
    const known = fromFastifyError(error);
    if (known) {
      return reply
        .status(statusByCode[known.code])
        .send(errorBody(known.code, known.message, request.id, known.details));
    }
    if (isDependencyOutage(error)) {
      request.log.warn({ err: error }, 'dependency unavailable');
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send(
          errorBody(
            ErrorCode.serviceUnavailable,
            'A service Zegel depends on is unavailable for the moment; try again in a minute.',
            request.id,
          ),
        );
    }
    // Unexpected: log it with the request id, tell the client nothing but that id.
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send(
        errorBody(
          ErrorCode.internal,
          'Something went wrong on our side. Quote the request id if you report it.',
          request.id,
        ),
      );
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(
        errorBody(
          ErrorCode.notFound,
          `No such endpoint: ${request.method} ${request.url.split('?')[0]}`,
          request.id,
        ),
      );
  });
}
