import { createServer } from 'node:net';
import { createApp } from './app.ts';
import { createDeps, ensureEmbeddedSecret, scheduleAuditCheckpoints } from './boot.ts';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { seedDemo } from './features/accounts/index.ts';
import { scheduleConversationMaintenance } from './features/conversations/index.ts';
import { scheduleFileMaintenance } from './features/files/index.ts';
import type { TypedApp } from './http/typed-app.ts';

export interface RunningServer {
  url: string;
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
    const url = config.publicUrl;
    return {
      url,
      demo,
      close: () => stopGracefully(app, deps, database),
    };
  } catch (error) {
    await database.close();
    throw error;
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
