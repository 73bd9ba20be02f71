import type { ErrorResponse } from '@zegel/protocol/api';
import { ApiError, ClientErrorCode } from './api-client.ts';

/**
 * Ciphertext up and down: `application/octet-stream` bodies, which the JSON client does not
 * speak. Writes carry the CSRF header like every other write.
 */
export async function putCiphertext(path: string, body: Uint8Array<ArrayBuffer>): Promise<void> {
  const response = await send(path, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'x-zegel-csrf': '1', accept: 'application/json' },
    body,
  });
  await response.arrayBuffer();
}

export async function getCiphertext(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const response = await send(path, { method: 'GET', headers: { accept: 'application/octet-stream' } });
  return new Uint8Array(await response.arrayBuffer());
}

async function send(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin' });
  } catch {
    throw new ApiError(ClientErrorCode.network, 'The server could not be reached.', 0, null);
  }
  if (response.ok) return response;
  let error: Partial<ErrorResponse['error']> | undefined;
  try {
    error = ((await response.json()) as Partial<ErrorResponse>).error;
  } catch {
    error = undefined;
  }
  if (error && typeof error.code === 'string')
    throw new ApiError(error.code, error.message ?? '', response.status, error.requestId ?? null);
  throw new ApiError(ClientErrorCode.unexpectedResponse, `HTTP ${response.status}`, response.status, null);
}

/** An API error with the server's `details` (e.g. the per-recipient problems of `recipients_incomplete`). */
export class DetailedApiError extends ApiError {
  readonly details: unknown;
  constructor(error: ApiError, details: unknown) {
    super(error.code, error.message, error.status, error.requestId);
    this.details = details;
  }
}

/** A JSON write like `api.post`, but a refusal keeps its `details`. */
export async function sendJson<T>(
  method: 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  const headers: Record<string, string> = {
    ...extraHeaders,
    accept: 'application/json',
    'x-zegel-csrf': '1',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(ClientErrorCode.network, 'The server could not be reached.', 0, null);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return json as T;
  const error = (json as { error?: Partial<ErrorResponse['error']> & { details?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string')
    throw new DetailedApiError(
      new ApiError(error.code, error.message ?? '', response.status, error.requestId ?? null),
      error.details,
    );
  throw new ApiError(ClientErrorCode.unexpectedResponse, `HTTP ${response.status}`, response.status, null);
}
