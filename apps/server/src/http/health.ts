import { HealthLive, HealthReady } from '@zegel/protocol/api';
import { sql } from 'kysely';
import type { Deps } from '../deps.ts';
import type { TypedApp } from './typed-app.ts';

/** A check that does not answer within this long counts as failing (a hung database, S3). */
const CHECK_TIMEOUT_MS = 2000;
const PROBE_KEY = 'health/probe';

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function passes(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await withTimeout(work());
    return true;
  } catch {
    return false;
  }
}

/** What readiness reports: every check runs, none waits longer than the timeout. */
export async function readiness(deps: Deps): Promise<HealthReady> {
  const [database, blobStore, queue] = await Promise.all([
    passes(() => sql`SELECT 1`.execute(deps.db)),
    // A read of a key that never exists: it reaches the store without writing to it.
    passes(() => deps.blobs.size(PROBE_KEY)),
    withTimeout(deps.jobs.stats()).catch(() => undefined),
  ]);
  const now = deps.clock.now().getTime();
  const due = queue?.reduce((sum, kind) => sum + kind.due, 0) ?? 0;
  const oldest = queue
    ?.map((kind) => kind.oldestDueAt?.getTime())
    .filter((at): at is number => at !== undefined)
    .reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const oldestDueSeconds =
    oldest === undefined || oldest === Number.POSITIVE_INFINITY ? null : Math.max(0, (now - oldest) / 1000);
  const lagging = oldestDueSeconds !== null && oldestDueSeconds > deps.config.healthMaxJobLagSeconds;
  const stopping = deps.lifecycle.stopping;
  // Only the database (nothing works without it) and stopping take a process out of the
  // balancer. Every process shares the blob store and the queue, so failing on them would take
  // all processes out at once, while messages without files still work.
  const ready = database && !stopping;
  return {
    status: !ready ? 'not_ready' : lagging || !queue || !blobStore ? 'degraded' : 'ready',
    stopping,
    checks: {
      database: database ? 'ok' : 'failing',
      blobStore: blobStore ? 'ok' : 'failing',
      jobQueue: !queue ? 'failing' : lagging ? 'lagging' : 'ok',
    },
    jobQueue: { due, oldestDueSeconds },
  };
}

/**
 * Next to `/api/health` (what the web app and the README's build check read, in app.ts):
 * `/api/health/live` for a liveness probe (restart the process when it stops answering) and
 * `/api/health/ready` for the balancer (send traffic elsewhere while it answers 503).
 */
export function registerHealthRoutes(app: TypedApp, deps: Deps): void {
  app.get(
    '/api/health/live',
    { config: { access: 'public' }, schema: { tags: ['system'], response: { 200: HealthLive } } },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/api/health/ready',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], response: { 200: HealthReady, 503: HealthReady } },
    },
    async (_request, reply) => {
      const report = await readiness(deps);
      return reply.code(report.status === 'not_ready' ? 503 : 200).send(report);
    },
  );
}
