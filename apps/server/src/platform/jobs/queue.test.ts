import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { createManualClock } from '../../adapters/clock.ts';
import { createJobQueue, PermanentJobError, RETRY_BASE_MS } from './service.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('the job queue', () => {
  it('runs each job once even when two workers poll the same table at the same time', async () => {
    const clock = createManualClock();
    const runs = new Map<number, number>();
    const workers = [createJobQueue(database.db, clock), createJobQueue(database.db, clock)];
    for (const worker of workers)
      worker.define('count', {
        handler: async (payload) => {
          const n = Number(payload.n);
          runs.set(n, (runs.get(n) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
      });
    for (let n = 0; n < 60; n++) await workers[0]?.enqueue('count', { n });
    const done = await Promise.all(workers.map((w) => w.runDueJobs()));
    expect(done.reduce((a, b) => a + b, 0)).toBe(60);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(runs.size).toBe(60);
  });

  it('retries with exponential backoff, gives up after the last attempt, and erases the payload', async () => {
    const clock = createManualClock();
    const queue = createJobQueue(database.db, clock);
    let attempts = 0;
    let failedWith: unknown;
    queue.define('flaky', {
      handler: async () => {
        attempts++;
        throw new Error('temporary');
      },
      onFailure: async (_payload, error) => {
        failedWith = error;
      },
    });
    const id = await queue.enqueue('flaky', { secret: 'sealed-value' }, { maxAttempts: 3 });
    await queue.runDueJobs();
    expect(attempts).toBe(1);
    clock.advance(RETRY_BASE_MS - 1);
    await queue.runDueJobs();
    expect(attempts).toBe(1);
    clock.advance(1);
    await queue.runDueJobs();
    expect(attempts).toBe(2);
    clock.advance(2 * RETRY_BASE_MS);
    await queue.runDueJobs();
    expect(attempts).toBe(3);
    expect(failedWith).toBeInstanceOf(Error);
    const row = await database.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.failed_at).not.toBeNull();
    expect(row.payload).toEqual({});
    expect(row.last_error).toBe('Error');
  });

  it('lets another process take over the jobs of one that died within about half a minute', async () => {
    const clock = createManualClock();
    const dead = createJobQueue(database.db, clock);
    const alive = createJobQueue(database.db, clock);
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const ranByDead: number[] = [];
    // The dying process claimed the batch and hangs on its first job (as after kill -9).
    dead.define('crash-take-over', {
      handler: async (payload) => {
        ranByDead.push(Number(payload.n));
        await released;
      },
    });
    const ran: number[] = [];
    alive.define('crash-take-over', {
      handler: async (payload) => {
        ran.push(Number(payload.n));
      },
    });
    for (let n = 0; n < 3; n++) await dead.enqueue('crash-take-over', { n });
    const hanging = dead.runDueJobs();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await alive.runDueJobs()).toBe(0);
    clock.advance(31_000);
    expect(await alive.runDueJobs()).toBe(3);
    expect(ran.sort()).toEqual([0, 1, 2]);
    // Woken again, the old process finishes the job it was in, but leaves the rest alone.
    release();
    await hanging;
    expect(ranByDead).toHaveLength(1);
  });

  it('tells a retry that an earlier run already handed its work over, and remembers it per job', async () => {
    const clock = createManualClock();
    const queue = createJobQueue(database.db, clock);
    const seen: (Date | null)[] = [];
    queue.define('hand-off', {
      handler: async (_payload, job) => {
        seen.push(job.handedOffAt);
        if (job.attempt === 1) {
          await job.markHandedOff();
          throw new Error('crashed after the relay took the mail');
        }
      },
    });
    await queue.enqueue('hand-off', {});
    await queue.runDueJobs();
    clock.advance(RETRY_BASE_MS);
    await queue.runDueJobs();
    expect(seen[0]).toBeNull();
    expect(seen[1]).toBeInstanceOf(Date);
  });

  it('gives up at once on a permanent error', async () => {
    const clock = createManualClock();
    const queue = createJobQueue(database.db, clock);
    let attempts = 0;
    queue.define('doomed', {
      handler: async () => {
        attempts++;
        throw new PermanentJobError('gone');
      },
    });
    await queue.enqueue('doomed', {});
    await queue.runDueJobs();
    clock.advance(3600_000);
    await queue.runDueJobs();
    expect(attempts).toBe(1);
  });

  it('polls until stopped', async () => {
    const queue = createJobQueue(database.db, createManualClock(new Date(Date.now() + 86_400_000)));
    let ran = 0;
    queue.define('tick', {
      handler: async () => {
        ran++;
      },
    });
    await queue.enqueue('tick', {});
    queue.start(10);
    for (let i = 0; i < 100 && ran === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await queue.stop();
    expect(ran).toBe(1);
  });
});
