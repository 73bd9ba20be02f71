import { createApp } from './app.ts';
import { createDeps, ensureEmbeddedSecret } from './boot.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './features/accounts/demo.ts';
import { scheduleMessageMaintenance } from './features/messages/jobs.ts';

export interface RunningServer {
  url: string;
  demo: Awaited<ReturnType<typeof seedDemo>>;
  close(): Promise<void>;
}

/** Boot: configuration → database → migrations → app → listen. */
export async function startServer(loaded: Config): Promise<RunningServer> {
  const config = loaded.embedded || !loaded.databaseUrl ? ensureEmbeddedSecret(loaded) : loaded;
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(database);
    const deps = createDeps(config, database);
    const demo = config.embedded && config.seedDemo ? await seedDemo(deps) : undefined;
    const app = await createApp(deps);
    const address = await app.listen({ host: config.host, port: config.port });
    await scheduleMessageMaintenance(deps);
    deps.jobs.start(config.jobPollMs);
    const url = config.port === 0 ? address : config.publicUrl;
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
