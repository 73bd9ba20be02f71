import helmet from '@fastify/helmet';
import { ErrorCode } from '@zegel/protocol/errors';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.ts';

/** Header every state-changing API request must carry (see docs/security.md, "CSRF"). */
export const CSRF_HEADER = 'x-zegel-csrf';

/**
 * Strict headers: a CSP that allows only our own scripts and styles (no inline script, so
 * injected markup cannot run), no framing, no referrer leaking link fragments' pages.
 */
export async function registerSecurityHeaders(app: FastifyInstance, isHttps: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        frameSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(isHttps ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    hsts: isHttps ? { maxAge: 31536000, includeSubDomains: true } : false,
  });
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    void reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
  });
}

/**
 * Cookie-authenticated writes must carry a custom header. A cross-site form cannot set one,
 * and a cross-site script would need a CORS preflight that we never grant; SameSite=Strict
 * cookies are the second line.
 */
export function registerCsrfCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
    if (request.headers[CSRF_HEADER] !== '1') {
      return reply
        .status(403)
        .send(
          errorBody(
            ErrorCode.csrfCheckFailed,
            `State-changing requests must carry the header ${CSRF_HEADER}: 1.`,
            request.id,
          ),
        );
    }
  });
}
