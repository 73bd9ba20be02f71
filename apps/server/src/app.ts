import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import { registerAjvFormats, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { Health } from '@zegel/protocol/api';
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { Deps } from './deps.ts';
import { registerAccountRoutes } from './features/accounts/index.ts';
import { registerContactRoutes } from './features/contact/index.ts';
import { registerConversationRoutes, registerGuestRoutes } from './features/conversations/index.ts';
import { registerDlpRoutes } from './features/dlp/index.ts';
import { registerAttachmentRoutes, registerFileRoutes } from './features/files/index.ts';
import { registerGatewayRoutes } from './features/gateway/index.ts';
import { registerGuestAccessRoutes } from './features/guest-access/index.ts';
import { registerKeyRoutes } from './features/keys/index.ts';
import { registerMailSecurityRoutes } from './features/mail-security/index.ts';
import { registerMessageRoutes } from './features/messages/index.ts';
import { registerOutboxRoutes } from './features/outbox/index.ts';
import { registerReportRoutes } from './features/reports/index.ts';
import { registerErrorHandling } from './http/errors.ts';
import { registerHealthRoutes } from './http/health.ts';
import { loggerOptions } from './http/logging.ts';
import { registerMetrics } from './http/metrics.ts';
import { registerCsrfCheck, registerSecurityHeaders } from './http/security.ts';
import { registerAccessControl, registerSessionLookup } from './http/session.ts';
import type { TypedApp } from './http/typed-app.ts';
import { registerAuditRoutes } from './platform/audit/index.ts';
import { loadWebBuild, registerWebApp } from './web-app.ts';

const DEFAULT_WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface AppOptions {
  /** Pino options or false; tests pass a stream to read what was logged. */
  logger?: FastifyServerOptions['logger'] | undefined;
  /** The built web app to serve; defaults to apps/web/dist when it exists. */
  webDist?: string | undefined;
}

registerAjvFormats();

/** Builds the HTTP app from its dependencies. It never listens: main.ts and tests decide that. */
export async function createApp(deps: Deps, options: AppOptions = {}): Promise<TypedApp> {
  const app = Fastify({
    logger: options.logger ?? loggerOptions(deps.config.logLevel) ?? false,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    trustProxy: deps.config.trustProxy,
    bodyLimit: deps.config.bodyLimitBytes,
  })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<import('@fastify/type-provider-typebox').TypeBoxTypeProvider>() as unknown as TypedApp;

  // JSON only: other bodies get 415 rather than being parsed as text.
  app.removeContentTypeParser(['text/plain']);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  const webBuild = await loadWebBuild(options.webDist ?? DEFAULT_WEB_DIST);
  registerErrorHandling(app);
  registerMetrics(app, deps);
  await registerSecurityHeaders(app, deps.config.publicUrl.startsWith('https:'));
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Zegel API',
        version: deps.version,
        description: 'Secure messaging for Dutch public and care organisations.',
      },
    },
  });
  registerCsrfCheck(app);
  registerSessionLookup(app, deps);
  registerAccessControl(app);

  app.get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['system'], response: { 200: Health } } },
    async () => {
      const web = webBuild ? { sha256: webBuild.sha256, files: webBuild.files } : null;
      return { status: 'ok' as const, database: deps.engine, version: deps.version, webBuild: web };
    },
  );
  registerHealthRoutes(app, deps);
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  registerAccountRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerDlpRoutes(app, deps);
  registerContactRoutes(app, deps);
  registerMailSecurityRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerGuestAccessRoutes(app, deps);
  registerMessageRoutes(app, deps);
  registerConversationRoutes(app, deps);
  registerGuestRoutes(app, deps);
  registerAttachmentRoutes(app, deps);
  registerFileRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerGatewayRoutes(app, deps);
  if (deps.config.embedded && !deps.config.smtpUrl) registerOutboxRoutes(app, deps);

  await registerWebApp(app, webBuild);
  return app;
}
