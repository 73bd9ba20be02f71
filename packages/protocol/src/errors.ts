/**
 * Error codes seen on the wire: `{"error":{"code","message","requestId"}}`.
 * Codes are stable; messages are for people and may change. The HTTP status for
 * each code is decided by the server (apps/server/src/http/errors.ts), not here.
 */
export const ErrorCode = {
  validationFailed: 'validation_failed',
  malformedJson: 'malformed_json',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  notFound: 'not_found',
  methodNotAllowed: 'method_not_allowed',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  csrfCheckFailed: 'csrf_check_failed',
  rateLimited: 'rate_limited',
  conflict: 'conflict',
  invalidCredentials: 'invalid_credentials',
  accountLocked: 'account_locked',
  signInDelayed: 'sign_in_delayed',
  proofOfWorkRequired: 'proof_of_work_required',
  secondFactorRequired: 'second_factor_required',
  secondFactorInvalid: 'second_factor_invalid',
  enrolmentRequired: 'enrolment_required',
  invitationInvalid: 'invitation_invalid',
  invitationUsed: 'invitation_used',
  invitationExpired: 'invitation_expired',
  resetTokenInvalid: 'reset_token_invalid',
  weakPassword: 'weak_password',
  userDeactivated: 'user_deactivated',
  lastAdmin: 'last_admin',
  recipientsIncomplete: 'recipients_incomplete',
  messageRevoked: 'message_revoked',
  messageExpired: 'message_expired',
  messageLocked: 'message_locked',
  linkProofInvalid: 'link_proof_invalid',
  verificationFailed: 'verification_failed',
  guestSessionRequired: 'guest_session_required',
  keysMissing: 'keys_missing',
  fileTooLarge: 'file_too_large',
  messageFilesTooLarge: 'message_files_too_large',
  quotaExceeded: 'quota_exceeded',
  uploadOffsetMismatch: 'upload_offset_mismatch',
  uploadLocked: 'upload_locked',
  uploadIncomplete: 'upload_incomplete',
  tusVersionUnsupported: 'tus_version_unsupported',
  rangeNotSatisfiable: 'range_not_satisfiable',
  contactClosed: 'contact_closed',
  /** A service Zegel depends on (the database, the SMS provider) is down for now: try again. */
  serviceUnavailable: 'service_unavailable',
  addressNotFound: 'address_not_found',
  meldpuntNotFound: 'meldpunt_not_found',
  locationServiceUnavailable: 'location_service_unavailable',
  careAlreadyMember: 'care_already_member',
  careRequestDecided: 'care_request_decided',
  careRequestExpired: 'care_request_expired',
  careLastClient: 'care_last_client',
  internal: 'internal_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown };
}
