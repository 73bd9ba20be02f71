import type { FastifyServerOptions } from 'fastify';

/**
 * Logs never hold secrets or personal data: cookies, authorization and link-proof headers and
 * bodies are redacted, and URLs are logged without their query string (links carry tokens only in the
 * #fragment, which browsers never send, but a query could still hold an address).
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-zegel-link-proof"]',
  'res.headers["set-cookie"]',
  'body',
  'req.body',
  '*.loginSecret',
  '*.token',
  '*.code',
  '*.email',
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; id: string }) {
        return { method: request.method, url: request.url.split('?')[0] ?? '', id: request.id };
      },
    },
  };
}
