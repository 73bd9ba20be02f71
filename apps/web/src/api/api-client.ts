import type { ErrorResponse } from '@zegel/protocol/api';

/** A failed API call in the server's stable shape; `requestId` lets support find the log lines. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly requestId: string | null;

  constructor(code: string, message: string, status: number, requestId: string | null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.requestId = requestId;
  }
}

export const ClientErrorCode = {
  network: 'network_error',
  unexpectedResponse: 'unexpected_response',
} as const;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the Zegel API with the session cookie. Every write carries the CSRF header the server
 * demands; `content-type` is sent only with a body, because the server refuses a JSON content
 * type on an empty body. `extraHeaders` carries e.g. the guest page's link proof.
 */
export async function requestApi<T>(
  method: Method,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
  if (method !== 'GET') headers['x-zegel-csrf'] = '1';
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(ClientErrorCode.network, 'The server could not be reached.', 0, null);
  }
  const text = await response.text();
  const json: unknown = text ? parseJson(text) : undefined;
  if (!response.ok) {
    const error = (json as Partial<ErrorResponse> | undefined)?.error;
    if (error && typeof error.code === 'string') {
      throw new ApiError(error.code, error.message, response.status, error.requestId ?? null);
    }
    throw new ApiError(ClientErrorCode.unexpectedResponse, `HTTP ${response.status}`, response.status, null);
  }
  return json as T;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const api = {
  get: <T>(path: string) => requestApi<T>('GET', path),
  post: <T>(path: string, body?: unknown) => requestApi<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => requestApi<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => requestApi<T>('PATCH', path, body),
  delete: <T>(path: string) => requestApi<T>('DELETE', path),
};

/** Turns anything thrown into an ApiError so screens have one thing to show. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(
    ClientErrorCode.unexpectedResponse,
    error instanceof Error ? error.message : String(error),
    0,
    null,
  );
}
