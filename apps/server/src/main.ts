import { createServer } from 'node:net';
import { createApp } from './app.ts';
import { createDeps, ensureEmbeddedSecret, scheduleAuditCheckpoints } from './boot.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './features/accounts/index.ts';
import { scheduleConversationMaintenance } from './features/conversations/index.ts';
import { scheduleFileMaintenance } from './features/files/index.ts';

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
      async close() {
        await deps.jobs.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
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
