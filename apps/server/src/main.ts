import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseResolverAddress } from './adapters/dns/index.ts';
import { createOutboxRelay, createSmtpRelay } from './adapters/mail-relay.ts';
import { embeddedTlsIdentity, readTlsIdentity } from './adapters/smtp-tls.ts';
import { createApp } from './app.ts';
import { createDeps, ensureEmbeddedSecret, scheduleAuditCheckpoints } from './boot.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { seedDemo } from './features/accounts/index.ts';
import { scheduleConversationMaintenance } from './features/conversations/index.ts';
import { scheduleFileMaintenance } from './features/files/index.ts';
import {
  GATEWAY_MAX_RECIPIENTS,
  type GatewayListener,
  startGatewayListener,
} from './features/gateway/index.ts';
import { createMailCheckContext } from './features/mail-security/index.ts';
import type { TypedApp } from './http/typed-app.ts';

export interface RunningServer {
  url: string;
  /** The gateway's SMTP submission port, when its listener runs. */
  smtpPort: number | undefined;
  demo: Awaited<ReturnType<typeof seedDemo>>;
  close(): Promise<void>;
}

/** Boot: configuration → database → migrations → app → listen. */
export async function startServer(requested: Config): Promise<RunningServer> {
  const loaded = requested.port === 0 ? withPort(requested, await findFreePort(requested.host)) : requested;
  const config = loaded.embedded || !loaded.databaseUrl ? ensureEmbeddedSecret(loaded) : loaded;
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const deps = createDeps(config, database);
    const demo = config.embedded && config.seedDemo ? await seedDemo(deps) : undefined;
    const app = await createApp(deps);
    await app.listen({ host: config.host, port: config.port });
    await scheduleConversationMaintenance(deps);
    await scheduleFileMaintenance(deps);
    await scheduleAuditCheckpoints(deps);
    deps.jobs.start(config.jobPollMs);
    const gateway = await startGateway(deps, config, requested.port === 0, (error) =>
      // The error's kind only: a parser's message could quote the mail.
      app.log.error(
        { errorName: error instanceof Error ? error.name : typeof error },
        'gateway: a mail could not be processed',
      ),
    );
    const url = config.publicUrl;
    return {
      url,
      smtpPort: gateway?.port,
      demo,
      async close() {
        await gateway?.close(); // no new mail first
        await stopGracefully(app, deps, database);
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Direct delivery for the gateway when DKIM is configured: the mail checks' resolver and CA. */
function directDeliveryOf(config: Config) {
  const resolver = parseResolverAddress(config.dnsResolver);
  if (!(config.dkimDomain && config.dkimSelector && config.dkimPrivateKey && resolver)) return undefined;
  return {
    context: createMailCheckContext({
      resolver,
      extraCa: config.mailcheckCa ? [readFileSync(config.mailcheckCa, 'utf8')] : [],
    }),
    dkim: { domain: config.dkimDomain, selector: config.dkimSelector, privateKey: config.dkimPrivateKey },
  };
}

/**
 * The mail gateway's submission listener: on by default in embedded mode (loopback 2525, or a
 * free port when the web port was picked freely, as tests do), off otherwise unless configured.
 */
async function startGateway(
  deps: Deps,
  config: Config,
  freePorts: boolean,
  onError: (error: unknown) => void,
): Promise<GatewayListener | undefined> {
  if (config.smtpPort === 0) return undefined;
  const port = config.smtpPort ?? (config.embedded ? (freePorts ? 0 : 2525) : undefined);
  if (port === undefined) return undefined;
  const tls =
    config.smtpTlsCert && config.smtpTlsKey
      ? readTlsIdentity(config.smtpTlsCert, config.smtpTlsKey)
      : await embeddedTlsIdentity(config.dataDir);
  const relay = config.smtpUrl ? createSmtpRelay(config.smtpUrl) : createOutboxRelay(deps.db);
  const direct = directDeliveryOf(config);
  const options = {
    host: config.host,
    port,
    tls,
    relay,
    direct,
    maxBytes: config.smtpMaxBytes,
    maxRecipients: GATEWAY_MAX_RECIPIENTS,
    onError,
  };
  try {
    return await startGatewayListener(deps, options);
  } catch (error) {
    // The embedded default (2525) may be taken by another instance on this machine: take a free
    // port then (the start-up text prints it). A port that was configured must be had.
    if (config.smtpPort !== undefined || (error as { code?: string }).code !== 'EADDRINUSE') throw error;
    return startGatewayListener(deps, { ...options, port: 0 });
  }
}

/**
 * Graceful stop (SIGTERM): readiness turns 503; the listener closes, so the balancer sends new
 * connections elsewhere (Fastify answers 503 with `Connection: close` to a request that still
 * arrives on a kept-alive connection); running requests finish; the job running now finishes
 * and the rest of its batch is handed back. What has not finished within
 * `ZEGEL_SHUTDOWN_SECONDS` is cut: an upload's cut PATCH stores nothing and the client resumes
 * at the last committed offset on another process, a cut job's lease runs out and another
 * process runs it again (handlers are idempotent; a handed-off mail is not sent twice).
 */
const CUT_SETTLE_MS = 500;

async function stopGracefully(app: TypedApp, deps: Deps, database: Database): Promise<void> {
  deps.lifecycle.stopping = true;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deps.config.shutdownSeconds * 1000);
  });
  const closing = app.close();
  const jobs = deps.jobs.stop();
  const finished = await Promise.race([Promise.all([closing, jobs]).then(() => true), deadline]);
  clearTimeout(timer);
  if (!finished) {
    // Past the deadline: cut what is still open. The server closes at once, but the cut
    // handlers still clean up (an upload releases its lock): give them a moment before the
    // database goes.
    app.server.closeAllConnections();
    await closing;
    await new Promise((resolve) => setTimeout(resolve, CUT_SETTLE_MS));
  }
  await database.close();
}

/**
 * Port 0 means "any free port". Links in e-mails need the real one, so pick it before the
 * configuration is used, and move a default public URL along with it.
 */
function withPort(config: Config, port: number): Config {
  const isDefaultUrl = config.publicUrl === `http://localhost:${config.port}`;
  return { ...config, port, publicUrl: isDefaultUrl ? `http://localhost:${port}` : config.publicUrl };
}

function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
