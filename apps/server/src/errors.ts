import type { ErrorCode } from '@zegel/protocol/errors';

/**
 * The one error type domain code throws. It carries a stable code from the protocol package
 * and a message for people; the HTTP layer maps the code to a status (http/errors.ts).
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
